"Tests run with the network unreachable: the guard in conftest refuses any connection that leaves this machine."
import socket

import pytest


def test_network_is_refused():
    with pytest.raises(RuntimeError, match="test tried to reach the network"):
        socket.create_connection(("8.8.8.8", 53), timeout=1)


def test_inception_weights_are_never_fetched_silently(tmp_path, monkeypatch):
    from ensdiff.metrics import inception_weights
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="download=True to fetch them"):
        inception_weights()
