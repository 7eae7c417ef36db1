"The notebooks are the source: exporting and cleaning them changes nothing that is committed."
import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import NBS, ROOT

BIN = Path(sys.executable).parent


def _snapshot(root):
    files = [*root.glob("nbs/*.ipynb"), *root.glob("ensdiff/*.py")]
    return {str(p.relative_to(root)): p.read_bytes() for p in files}


def test_export_and_clean_leave_no_diff(tmp_path):
    copy = tmp_path / "repo"
    copy.mkdir()
    for name in ("nbs", "ensdiff"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    before = _snapshot(copy)
    for cmd in ("nbdev-export", "nbdev-clean"):
        subprocess.run([str(BIN / cmd)], cwd=copy, check=True, capture_output=True)
    after = _snapshot(copy)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"nbdev-export / nbdev-clean changed {changed}: run both and commit the result"


def test_notebooks_keep_parameters_tag_and_kernel():
    for nb_path in NBS.glob("*.ipynb"):
        nb = json.loads(nb_path.read_text())
        assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", f"{nb_path.name} has no python3 kernelspec (papermill needs one)"
    poe = json.loads((NBS / "02_theory_poe.ipynb").read_text())
    assert any("parameters" in c["metadata"].get("tags", []) for c in poe["cells"]), "the parameters tag was stripped"


def test_every_exported_name_is_documented():
    "Each public function and class in `__all__` of every module has a `show_doc` cell in its notebook."
    import importlib
    missing = []
    for nb_path in NBS.glob("*.ipynb"):
        nb = json.loads(nb_path.read_text())
        src = "\n".join("".join(c["source"]) for c in nb["cells"])
        mod = next((line.split()[-1] for line in src.splitlines() if line.startswith("#| default_exp")), None)
        if mod is None: continue
        module = importlib.import_module(f"ensdiff.{mod}")
        missing += [f"{mod}.{n}" for n in module.__all__ if callable(getattr(module, n)) and f"show_doc({n}" not in src]
    assert not missing, f"no show_doc for {missing}"


def test_docs_build_runs_no_experiment_cells():
    "The docs build executes every cell that imports anything (nbdev's `_do_eval`): such a cell holds imports only, else the build re-runs its work (a random Inception cost 31 s)."
    import ast
    from nbdev.process import NBProcessor
    from nbdev.processors import _do_eval
    heavy = []
    for nb_path in sorted(NBS.glob("*.ipynb")):
        for cell in NBProcessor(nb_path).nb.cells:
            if cell.cell_type != "code" or cell.directives_.keys() & {"export", "exports", "exporti", "exec_doc"} or not _do_eval(cell): continue
            body = cell.parsed_() or []
            if not all(isinstance(n, (ast.Import, ast.ImportFrom)) or "show_doc" in ast.unparse(n) for n in body):
                heavy.append(f"{nb_path.name}: {cell.source.splitlines()[0][:70]}")
    assert not heavy, f"cells the docs build would execute, doing more than imports and show_doc: {heavy}"


def test_no_control_characters_in_notebook_sources():
    "LaTeX written into a notebook's JSON by hand turns `\\text`, `\\beta`, `\\frac` into a tab, backspace or form feed: none in any cell."
    found = []
    for nb in sorted(NBS.glob("*.ipynb")):
        for i, cell in enumerate(json.loads(nb.read_text())["cells"]):
            text = "".join(cell["source"])
            found += [f"{nb.name} cell {i}: {ch!r} in ...{text[max(0, k - 30):k + 10]!r}" for k, ch in enumerate(text) if ch in "\t\b\f\r\v"]
    assert not found, "\n".join(found)


def test_committed_notebooks_keep_one_output_per_progress_bar():
    "papermill records every refresh of a progress bar as an output; committed notebooks keep one line per bar (`ensdiff.execution.tidy_progress`): no two outputs in a row to one stream, no bar's unfinished state followed by a later state of it."
    from ensdiff.execution import PROGRESS_BAR
    untidy = []
    for nb in sorted(NBS.glob("*.ipynb")):
        for i, c in enumerate(json.loads(nb.read_text())["cells"]):
            streams = [o.get("name") if o.get("output_type") == "stream" else None for o in c.get("outputs", [])]
            if any(a is not None and a == b for a, b in zip(streams, streams[1:])): untidy.append(f"{nb.name} cell {i}: outputs in a row to one stream")
            for o in c.get("outputs", []):
                bars = [m for line in "".join(o.get("text", "")).splitlines() if (m := PROGRESS_BAR.match(line))]
                key = lambda m: (m.group(1), m.group(3))
                untidy += [f"{nb.name} cell {i}: {m.group(0)!r} and a later state of it" for k, m in enumerate(bars)
                           if int(m.group(2)) < 100 and any(key(n) == key(m) for n in bars[k + 1:])]
    assert not untidy, "\n".join(untidy[:20])
