"`ensdiff run` records complete runs as complete and failed runs as failed."
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ENSDIFF = str(Path(sys.executable).parent / "ensdiff")


def run(*args, tmp_path):
    return subprocess.run([ENSDIFF, *args], capture_output=True, text=True, cwd=tmp_path)


def test_list(tmp_path):
    "Aligned columns (the longest name included) and, at cpu, the time each committed experiment notebook printed."
    res = run("list", "--runs-dir", str(tmp_path), tmp_path=tmp_path)
    assert res.returncode == 0 and "theory-poe" in res.stdout
    lines = res.stdout.splitlines()
    col = lines[0].index("what it does")
    rows = [line for line in lines[1:] if line.split() and line.split()[0] in ("theory-poe", "learned-aggregation", "truth-map", "ensemble-size")]
    assert len(rows) == 4 and all(line[col - 2:col] == "  " and line[col] != " " for line in rows), rows
    assert "min*" in next(line for line in rows if line.startswith("ensemble-size"))


def test_device_is_refused_for_a_cpu_only_experiment(tmp_path):
    res = run("run", "theory-poe", "--device", "cuda", "--runs-dir", str(tmp_path), tmp_path=tmp_path)
    assert res.returncode == 2 and res.stderr.startswith("error: `--device` must be left out for 'theory-poe'"), res.stderr
    res = run("reproduce", "--only", "aggregators", "--device", "gpu", "--runs-dir", str(tmp_path), tmp_path=tmp_path)
    assert res.returncode == 2 and "`--device` must be cpu, cuda, cuda:N or mps, got 'gpu'" in res.stderr, res.stderr


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
    claims = results["metrics"]["claims"]
    assert [c["id"] for c in claims] == [f"theory-poe/{n}" for n in range(1, len(claims) + 1)]  # one stable id per claim
    assert claims[0]["verdict"] == "holds" and not any("nan" in c["evidence"] for c in claims)  # exact Gaussians: the PoE is missed at any preset
    assert {"theory-poe.ipynb", "poe_curves.png", "variance_path.png"} <= {p.name for p in out.iterdir()}
    listed = run("list", "--runs-dir", str(tmp_path), tmp_path=tmp_path).stdout
    row = next(line for line in listed.splitlines() if line.startswith("theory-poe ")).split()
    wall = json.loads((out / "run.json").read_text())["wall_s"]
    assert row[2] == f"{wall:.0f}" and row[3] == "s", row  # its smoke cost, from the run's own record


def test_same_seed_same_numbers(tmp_path):
    tables = []
    for d in ("a", "b"):
        res = run("run", "theory-poe", "--runs-dir", str(tmp_path / d), "-q", "-p", "n_samples=2000", "-p", "steps=50", tmp_path=tmp_path)
        assert res.returncode == 0, res.stderr[-2000:]
        (out,) = (tmp_path / d / "theory-poe").iterdir()
        tables.append(json.loads((out / "results.json").read_text())["metrics"]["table"])
    assert tables[0] == tables[1]


def test_failed_run_is_recorded_as_failed(tmp_path):
    "A run that fails inside its kernel (a bad number the door cannot see, here raised by the notebook) is recorded as failed, with the reason on the terminal."
    nbs = tiny_notebooks(tmp_path, fail="raise ValueError('`alphas` must be positive, got -4.0')")
    res = run("run", "theory-poe", "--runs-dir", str(tmp_path / "runs"), "--nbs-dir", str(nbs), "-q", tmp_path=tmp_path)
    assert res.returncode == 1 and "FAILED" in res.stderr
    assert "ValueError: " in res.stderr and "positive" in res.stderr, res.stderr  # the reason is on the terminal, not only in results.json
    (out,) = (tmp_path / "runs" / "theory-poe").iterdir()
    results = json.loads((out / "results.json").read_text())
    assert results["status"] == "failed" and "positive" in results["error"]


def test_a_bad_parameter_is_refused_at_the_door(tmp_path):
    res = run("run", "theory-poe", "--runs-dir", str(tmp_path), "-q", "-p", "alphas=(0.25, -4.0)", tmp_path=tmp_path)
    assert res.returncode == 2 and "`alphas`" in res.stderr and "-4.0" in res.stderr, res.stderr
    assert not (tmp_path / "theory-poe").exists()  # refused before a kernel started


def test_unknown_parameter_is_refused_before_running(tmp_path):
    res = run("run", "theory-poe", "--runs-dir", str(tmp_path), "-p", "n_sample=10", tmp_path=tmp_path)
    assert res.returncode == 2 and "unknown parameter(s) ['n_sample']" in res.stderr
    assert not (tmp_path / "theory-poe").exists()


TINY = """{"cells": [
 {"cell_type": "code", "execution_count": null, "id": "a1", "metadata": {"tags": ["parameters"]}, "outputs": [],
  "source": ["preset = 'smoke'\\n", "out_dir = None\\n", "pause = 0.0"]},
 {"cell_type": "code", "execution_count": null, "id": "a2", "metadata": {}, "outputs": [],
  "source": ["import time\\n", "from pathlib import Path\\n", "from ensdiff.records import save_results\\n", "if out_dir: Path(out_dir, 'started').touch()\\n", "time.sleep(pause)"]},
 {"cell_type": "code", "execution_count": null, "id": "a3", "metadata": {}, "outputs": [],
  "source": ["save_results(out_dir, 'theory-poe', dict(preset=preset), dict(claims=[dict(number=1, claim='tiny', verdict='holds', evidence='1 < 2', experiment='theory-poe')]), summary={'tiny': 'holds'})"]}],
 "metadata": {"kernelspec": {"display_name": "python3", "language": "python", "name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}"""


def tiny_notebooks(tmp_path, fail=None):
    "A notebooks folder whose theory-poe notebook only marks that it started, sleeps `pause` seconds and records one claim (or runs `fail` first)."
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    nb = json.loads(TINY)
    if fail: nb["cells"][1]["source"].append("\n" + fail)
    (nbs / "02_theory_poe.ipynb").write_text(json.dumps(nb))
    return nbs


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
def test_a_signal_marks_the_run_interrupted(tmp_path, sig):
    "SIGTERM, or SIGINT sent to the command alone (not to the kernel): one line, no zmq traceback from the dying kernel (issue 35)."
    import signal, time
    nbs = tiny_notebooks(tmp_path)
    proc = subprocess.Popen([ENSDIFF, "run", "theory-poe", "--runs-dir", str(tmp_path / "runs"), "--nbs-dir", str(nbs), "-q", "-p", "pause=60"],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as from a terminal: a test run started in the background inherits SIGINT ignored
    deadline = time.time() + 120
    while time.time() < deadline and not list((tmp_path / "runs").glob("theory-poe/*/started")): time.sleep(0.5)  # the kernel is inside the sleeping cell
    time.sleep(1)
    proc.send_signal(getattr(signal, sig))
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1 and "interrupted" in err
    assert "Traceback" not in err and "Socket operation" not in err, err  # one clear message, no zmq traceback
    (out,) = (tmp_path / "runs" / "theory-poe").iterdir()
    results = json.loads((out / "results.json").read_text())
    assert results["status"] == "interrupted"
    assert results["stopped_at"]["cell"] in (1, 2) and results["stopped_at"]["of"] >= 3


def test_reproduce_resumes_interrupted_and_skips_complete(tmp_path):
    from ensdiff.files import git_revision, write_json_atomic
    nbs, runs = tiny_notebooks(tmp_path), tmp_path / "runs"
    stopped = runs / "theory-poe" / "20260101-000000"
    stopped.mkdir(parents=True)
    write_json_atomic(stopped / "run.json", dict(experiment="theory-poe", preset="smoke", params={}, git=git_revision()))
    write_json_atomic(stopped / "results.json", dict(status="interrupted"))
    first = run("reproduce", "--only", "theory-poe", "--runs-dir", str(runs), "--nbs-dir", str(nbs), "-q", tmp_path=tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    assert "(resumed)" in first.stdout and "1/1 complete; report:" in first.stdout and [p.name for p in (runs / "theory-poe").iterdir()] == ["20260101-000000"]
    assert json.loads((stopped / "results.json").read_text())["status"] == "complete"
    second = run("reproduce", "--only", "theory-poe", "--runs-dir", str(runs), "--nbs-dir", str(nbs), "-q", tmp_path=tmp_path)
    assert second.returncode == 0 and "already complete" in second.stdout
    report = (runs / "REPORT.md").read_text()
    assert "| theory-poe | defaults | complete |" in report and "| theory-poe/1 | tiny | **holds** | holds | - | 1 < 2 |" in report


def test_reproduce_smoke_image_experiment(tmp_path, ensdiff_cache):
    "One image experiment end to end through `ensdiff reproduce` (the others run as notebook tests), with the session's smoke members: the cheapest one, Figure 4."
    res = subprocess.run([ENSDIFF, "reproduce", "--preset", "smoke", "--only", "training-length", "--runs-dir", str(tmp_path / "runs"), "-q"],
                         capture_output=True, text=True, cwd=tmp_path, env={**__import__("os").environ, "ENSDIFF_CACHE": str(ensdiff_cache)})
    assert res.returncode == 0, res.stderr[-3000:]
    (out,) = (tmp_path / "runs" / "training-length").iterdir()
    results = json.loads((out / "results.json").read_text())
    assert results["status"] == "complete" and len(results["metrics"]["claims"]) >= 3
    rows = results["metrics"]["rows"]
    assert {"member 0 @ 5", "member 1 @ 5", "mean K=2 @ 5", "mean K=2 @ 20"} <= set(rows)  # the smoke grid: 5, 10, 20 steps
    assert all(r["fid"] >= 0 for r in rows.values())
    assert (out / "figure4_k2_vs_k1.png").exists() and "training-length" in (tmp_path / "runs" / "REPORT.md").read_text()
    cells = json.loads((out / "training-length.ipynb").read_text())["cells"]
    bars = ["".join(o["text"]) for c in cells for o in c.get("outputs", []) if o.get("output_type") == "stream" and "%|" in "".join(o["text"])]
    assert bars and all(b.count("%|") == len(set(line.split("%|")[0] for line in b.splitlines())) for b in bars)  # one line per bar: run_experiment tidied its notebook


def test_an_experiment_on_your_own_members(tmp_path, ensdiff_cache):
    "`-p members=FOLDER`: ensemble-size on two member files of one's own (here smoke members copied out of a store), K from the folder, a relative path."
    import os, shutil
    from ensdiff.experiments import image_setup, recipe, train_members
    from ensdiff.files import digest_path
    from ensdiff.train import ModelStore
    rec, store = recipe(image_setup("smoke")), ModelStore(tmp_path / "store")
    train_members(rec, [0, 1], store=store, progress=False)
    (tmp_path / "mine").mkdir()
    for k in (0, 1):
        for src in (rec.path(store, k), digest_path(rec.path(store, k))): shutil.copy(src, tmp_path / "mine" / src.name.replace("seed_", "my_member_"))
    env = {**os.environ, "ENSDIFF_CACHE": str(ensdiff_cache)}
    res = subprocess.run([ENSDIFF, "run", "ensemble-size", "--preset", "smoke", "-p", "members=mine", "--runs-dir", "runs", "-q"],
                         capture_output=True, text=True, cwd=tmp_path, env=env)
    assert res.returncode == 0, res.stderr[-3000:]
    (out,) = (tmp_path / "runs" / "ensemble-size").iterdir()
    results = json.loads((out / "results.json").read_text())
    assert results["status"] == "complete" and results["config"]["K"] == 2
    assert {"member 0", "member 1", "mean K=2"} <= set(results["metrics"]["rows"]) and "mean K=3" not in results["metrics"]["rows"]
    assert json.loads((out / "run.json").read_text())["params"]["members"] == str(tmp_path / "mine")
    (tmp_path / "empty").mkdir()
    res = subprocess.run([ENSDIFF, "run", "ensemble-size", "--preset", "smoke", "-p", "members=empty", "--runs-dir", "runs", "-q"],
                         capture_output=True, text=True, cwd=tmp_path, env=env)
    assert res.returncode == 2 and "parameter `members` of 'ensemble-size' must be a folder holding *.pt files" in res.stderr, res.stderr


def test_an_experiment_on_a_cifar10_folder(tmp_path, ensdiff_cache):
    "`-p dataset=cifar10 -p data_root=FOLDER` at smoke: ensemble-size end to end on a folder of CIFAR-10 PNGs (train/<class>/, test/<class>/), FID in a 3-channel classifier's features trained on the folder's images."
    import os
    from PIL import Image
    g = torch.Generator().manual_seed(0)
    for split in ("train", "test"):
        for k, name in enumerate(("airplane", "cat", "ship")):
            (tmp_path / "cifar" / split / name).mkdir(parents=True)
            for i in range(12):
                img = ((0.2 + 0.3 * k + 0.15 * torch.rand(3, 32, 32, generator=g)) * 255).round().byte()
                Image.fromarray(img.permute(1, 2, 0).numpy()).save(tmp_path / "cifar" / split / name / f"{i}.png")
    env = {**os.environ, "ENSDIFF_CACHE": str(ensdiff_cache), "TORCH_HOME": str(tmp_path / "torch")}
    res = subprocess.run([ENSDIFF, "run", "ensemble-size", "--preset", "smoke", "-p", "dataset=cifar10", "-p", "data_root=cifar", "--runs-dir", "runs", "-q"],
                         capture_output=True, text=True, cwd=tmp_path, env=env)
    assert res.returncode == 0, res.stderr[-3000:]
    (out,) = (tmp_path / "runs" / "ensemble-size").iterdir()
    results = json.loads((out / "results.json").read_text())
    assert results["status"] == "complete" and results["config"]["dataset"] == "cifar10" and results["config"]["net"]["channels"] == 3
    rows = results["metrics"]["rows"]
    assert {"member 0", "member 1", "member 2", "mean K=2", "mean K=3"} <= set(rows)
    assert rows["member 0"]["fid_label"].startswith("FID[classifier-cifar10-") and all(math.isfinite(r["fid"]) for r in rows.values() if "fid" in r)
    (weights,) = (tmp_path / "torch").rglob("classifier-cifar10-*.pt")  # trained on the folder, named by its images' digest
    assert torch.load(weights, weights_only=False)["state"]["body.0.weight"].shape[1] == 3


def test_reproduce_jobs_runs_notebooks_at_once(tmp_path):
    "`reproduce --jobs 2`: two notebooks run at the same time (their run intervals overlap), each kernel with one thread per job's share of the cores."
    import os
    from datetime import datetime
    nbs, runs = tiny_notebooks(tmp_path), tmp_path / "runs"
    (nbs / "27_exp_nll.ipynb").write_text(TINY.replace("theory-poe", "nll").replace("time.sleep(pause)", "time.sleep(pause); import os; print(os.environ.get('OMP_NUM_THREADS'))"))
    res = run("reproduce", "--only", "theory-poe", "nll", "--jobs", "2", "--runs-dir", str(runs), "--nbs-dir", str(nbs), "-q",
              "-p", "theory-poe:pause=6", "-p", "nll:pause=6", tmp_path=tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    assert "2 at a time" in res.stdout and "the longest first" in res.stdout and "2/2 complete; report:" in res.stdout, res.stdout
    spans = []
    for name in ("theory-poe", "nll"):
        (out,) = (runs / name).iterdir()
        record = json.loads((out / "run.json").read_text())
        spans.append((datetime.fromisoformat(record["started"]), datetime.fromisoformat(record["finished"])))
    assert spans[0][0] < spans[1][1] and spans[1][0] < spans[0][1], spans  # the two runs overlapped in time
    (out,) = (runs / "nll").iterdir()
    cells = json.loads((out / "nll.ipynb").read_text())["cells"]
    printed = "".join("".join(o.get("text", "")) for c in cells for o in c.get("outputs", []))
    assert printed.strip() == (os.environ.get("OMP_NUM_THREADS") or str(max(1, (os.cpu_count() or 1) // 2))), printed  # the kernel's share of the cores


def test_sigterm_stops_parallel_reproduce_cleanly(tmp_path):
    "SIGTERM to `reproduce --jobs 2`: both running notebooks are marked interrupted (resumable), one message each, no traceback, exit 1."
    import signal, time
    nbs, runs = tiny_notebooks(tmp_path), tmp_path / "runs"
    (nbs / "27_exp_nll.ipynb").write_text(TINY.replace("theory-poe", "nll"))
    proc = subprocess.Popen([ENSDIFF, "reproduce", "--only", "theory-poe", "nll", "--jobs", "2", "--runs-dir", str(runs), "--nbs-dir", str(nbs), "-q",
                             "-p", "theory-poe:pause=60", "-p", "nll:pause=60"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 90
    while time.time() < deadline and len(list(runs.glob("*/*/*.ipynb"))) < 2: time.sleep(0.5)
    time.sleep(4)  # both inside their sleeping cell
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 1, (out, err)
    assert "Traceback" not in err and "Traceback" not in out, err[-3000:]
    assert out.count("interrupted") >= 2, out
    for name in ("theory-poe", "nll"):
        (folder,) = (runs / name).iterdir()
        assert json.loads((folder / "results.json").read_text())["status"] == "interrupted"
