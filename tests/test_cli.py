"`ensdiff run` records complete runs as complete and failed runs as failed."
import json
import subprocess
import sys
from pathlib import Path

ENSDIFF = str(Path(sys.executable).parent / "ensdiff")


def run(*args, tmp_path):
    return subprocess.run([ENSDIFF, *args], capture_output=True, text=True, cwd=tmp_path)


def test_list(tmp_path):
    res = run("list", tmp_path=tmp_path)
    assert res.returncode == 0 and "theory-poe" in res.stdout


def test_run_smoke_writes_complete_results(tmp_path):
    res = run("run", "theory-poe", "--preset", "smoke", "--runs-dir", str(tmp_path), "-q", "-p", "seed=3", tmp_path=tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    (out,) = (tmp_path / "theory-poe").iterdir()
    results = json.loads((out / "results.json").read_text())
    assert results["status"] == "complete"
    assert results["config"]["preset"] == "smoke" and results["config"]["seed"] == 3
    assert results["seeds"] == [3, 4, 5, 6]
    assert {"git", "environment", "timings", "metrics"} <= set(results)
    main = results["metrics"]["table"][0]
    assert abs(main["sampled"] - main["predicted_em"]) < 4 * main["sampled_se"]
    assert {"theory-poe.ipynb", "poe_curves.png", "variance_path.png"} <= {p.name for p in out.iterdir()}


def test_same_seed_same_numbers(tmp_path):
    tables = []
    for d in ("a", "b"):
        res = run("run", "theory-poe", "--runs-dir", str(tmp_path / d), "-q", "-p", "n_samples=2000", "-p", "steps=50", tmp_path=tmp_path)
        assert res.returncode == 0, res.stderr[-2000:]
        (out,) = (tmp_path / d / "theory-poe").iterdir()
        tables.append(json.loads((out / "results.json").read_text())["metrics"]["table"])
    assert tables[0] == tables[1]


def test_failed_run_is_recorded_as_failed(tmp_path):
    res = run("run", "theory-poe", "--runs-dir", str(tmp_path), "-q", "-p", "alphas=(0.25, -4.0)", tmp_path=tmp_path)
    assert res.returncode == 1 and "FAILED" in res.stderr
    (out,) = (tmp_path / "theory-poe").iterdir()
    results = json.loads((out / "results.json").read_text())
    assert results["status"] == "failed" and "positive" in results["error"]


def test_unknown_parameter_is_refused_before_running(tmp_path):
    res = run("run", "theory-poe", "--runs-dir", str(tmp_path), "-p", "n_sample=10", tmp_path=tmp_path)
    assert res.returncode == 2 and "unknown parameter(s) ['n_sample']" in res.stderr
    assert not (tmp_path / "theory-poe").exists()
