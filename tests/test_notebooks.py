"Every notebook is a test: its cells run at the smoke preset (IN_TEST=1), as `nbdev-test` would run them."
import os

import pytest
from nbdev.test import test_nb as run_notebook  # renamed so that pytest does not collect it

from conftest import NBS

NOTEBOOKS = sorted(p.name for p in NBS.glob("*.ipynb"))


def test_there_are_notebooks():
    assert {"00_sde.ipynb", "01_theory_ddsm.ipynb", "02_theory_poe.ipynb", "index.ipynb"} <= set(NOTEBOOKS)
    from ensdiff.runs import EXPERIMENTS
    assert {nb for nb, _ in EXPERIMENTS.values()} <= set(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook(name, monkeypatch, tmp_path, ensdiff_cache):
    monkeypatch.setenv("IN_TEST", "1")
    monkeypatch.setenv("ENSDIFF_CACHE", str(ensdiff_cache))
    monkeypatch.delenv("ENSDIFF_STORE", raising=False)
    monkeypatch.setenv("ENSDIFF_RUNS", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    ok, _ = run_notebook(NBS / name, skip_flags=["notest", "slow"])
    assert ok, f"{name} failed; run `nbdev-test nbs/{name} --do-print` to see the cell"
