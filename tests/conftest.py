import ipaddress
import os
import socket
from pathlib import Path

import pytest

if os.environ.get("PYTEST_XDIST_WORKER"):  # one worker per core: each (and the kernels it starts) computes on one thread
    os.environ["OMP_NUM_THREADS"] = os.environ["MKL_NUM_THREADS"] = "1"
    import torch
    torch.set_num_threads(1)

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT / "nbs"


@pytest.fixture(scope="session")
def root():
    "The repository root."
    return ROOT


@pytest.fixture(scope="session")
def ensdiff_cache(tmp_path_factory):
    "One model store and sample cache for the whole test session: notebooks share the smoke members, the user's cache is untouched."
    return tmp_path_factory.mktemp("ensdiff-cache")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    "Nothing in a test may reach the network: connections to anything but this machine fail loudly."
    connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and host != "localhost":
            try: loopback = ipaddress.ip_address(host).is_loopback
            except ValueError: loopback = False
            if not loopback: raise RuntimeError(f"test tried to reach the network: {address}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
