"Every notebook is a test: its cells run at the smoke preset (IN_TEST=1), as `nbdev-test` would run them."
import json
import os

import pytest
from nbdev.test import test_nb as run_notebook  # renamed so that pytest does not collect it

from conftest import NBS

NOTEBOOKS = sorted(p.name for p in NBS.glob("*.ipynb"))


def code_cells(path):
    "The sources of a notebook's code cells, without the cell papermill injects."
    cells = json.loads(path.read_text())["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code" and "injected-parameters" not in c["metadata"].get("tags", [])]


def executed_by_reproduce(name):
    """The run folder in which `ensdiff reproduce --preset smoke` (README command 1) executed notebook `name` to completion,
    with default parameters, at this commit and a clean work tree, with the same code cells; None if there is none."""
    from ensdiff.files import git_revision
    from ensdiff.params import EXPERIMENTS
    from ensdiff.records import matching_run
    experiment = {nb: e for e, (nb, _) in EXPERIMENTS.items()}.get(name)
    revision = git_revision()
    if experiment is None or revision is None or "-dirty" in revision: return None
    folder, status = matching_run(experiment, "smoke", {}, revision, None)  # the newest run that `reproduce` would take for this one
    if status == "complete" and code_cells(folder / f"{experiment}.ipynb") == code_cells(NBS / name): return folder
    return None


def test_there_are_notebooks():
    assert {"00_sde.ipynb", "01_theory_ddsm.ipynb", "02_theory_poe.ipynb", "index.ipynb"} <= set(NOTEBOOKS)
    from ensdiff.params import EXPERIMENTS
    assert {nb for nb, _ in EXPERIMENTS.values()} <= set(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook(name, monkeypatch, tmp_path, ensdiff_cache):
    done = executed_by_reproduce(name)
    if done is not None: pytest.skip(f"its cells ran at smoke in `ensdiff reproduce` at this commit: {done}")
    monkeypatch.setenv("IN_TEST", "1")
    monkeypatch.setenv("ENSDIFF_CACHE", str(ensdiff_cache))
    monkeypatch.delenv("ENSDIFF_STORE", raising=False)
    monkeypatch.setenv("ENSDIFF_RUNS", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    ok, _ = run_notebook(NBS / name, skip_flags=["notest", "slow"])
    assert ok, f"{name} failed; run `nbdev-test nbs/{name} --do-print` to see the cell"


def test_a_reproduce_run_stands_in_only_for_its_own_notebook(tmp_path, monkeypatch):
    "A complete smoke run replaces a notebook's execution only at this commit with default parameters and the same cells."
    from ensdiff.files import git_revision, write_json_atomic
    revision = git_revision()
    if revision is None or "-dirty" in revision: pytest.skip("needs a clean git work tree")
    monkeypatch.setenv("ENSDIFF_RUNS", str(tmp_path))
    folder = tmp_path / "theory-poe" / "20260101-000000"
    folder.mkdir(parents=True)
    (folder / "theory-poe.ipynb").write_text((NBS / "02_theory_poe.ipynb").read_text())
    write_json_atomic(folder / "results.json", dict(status="complete"))
    for run, expected in ((dict(git=revision, preset="smoke", params={}), folder), (dict(git=revision, preset="cpu", params={}), None),
                          (dict(git=revision, preset="smoke", params=dict(seed=1)), None), (dict(git="0" * 40, preset="smoke", params={}), None)):
        write_json_atomic(folder / "run.json", dict(experiment="theory-poe", **run))
        assert executed_by_reproduce("02_theory_poe.ipynb") == expected, run
    nb = json.loads((folder / "theory-poe.ipynb").read_text())
    last = max(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code")
    nb["cells"][last]["source"] = ["assert False"]
    (folder / "theory-poe.ipynb").write_text(json.dumps(nb))
    write_json_atomic(folder / "run.json", dict(experiment="theory-poe", git=revision, preset="smoke", params={}))
    assert executed_by_reproduce("02_theory_poe.ipynb") is None  # other cells: the notebook runs here
