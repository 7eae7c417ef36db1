"""What ensdiff promises when it is given bad input or meets a fault: read this file as that list.

Each row of `REFUSALS` is a call that must fail with a `ValueError` (or a subclass) whose message names the argument and
what was expected; each test below it is a fault the library survives. The notebooks test the same cases beside the
code; the runs' fault cases that need a kernel (SIGTERM, resume after a kill, SIGKILL while writing a checkpoint, two
processes on one store key) are in `tests/test_cli.py`, `nbs/05_train.ipynb` and the run machinery's notebooks (`nbs/90*.ipynb`).
"""
import io
import json
import math
import re
import warnings
from contextlib import redirect_stderr
from pathlib import Path

import numpy as np
import pytest
import torch

from ensdiff.aggregate import aggregate
from ensdiff.ensemble import Ensemble
from ensdiff.forest import ForestVP, w_test, MetricSpace
from ensdiff.metrics import fid_kid, nll_bpd
from ensdiff.nets import ADM, DDPMpp, MLP, ScoreModel
from ensdiff.cli import main
from ensdiff.samplers import ddim, euler_maruyama, heun, pc_sampler, pf_ode
from ensdiff.uncertainty import EnsembleUncertainty
from ensdiff.sde import DDPMSchedule, VPSDE
from ensdiff.theory import ddsm_loss, gaussian_score
from ensdiff.train import DamagedFile, ModelStore, Trainer, load_checkpoint, load_member, save_atomic

TOY = torch.randn(256, 2, generator=torch.Generator().manual_seed(0))
MLP_NET = dict(kind="MLP", dim=2, hidden=32, layers=2)
X2, T2 = torch.zeros(2, 2), torch.full((2,), 0.5)
IMG_NET = DDPMpp.small(image_size=8, ch_mult=(1, 2), num_res_blocks=1, nf=16)
ONE = gaussian_score(1.)
XS = torch.zeros(3, 2)


def _nan(shape): return torch.full(shape, float("nan"))


REFUSALS = [
    # training (issue 23 item 5): refused when the trainer is built, by name
    (lambda: Trainer(MLP_NET, torch.cat([TOY, _nan((1, 2))])), "`data` of member 0 contains 2 NaN or infinite values"),
    (lambda: Trainer(MLP_NET, TOY, warmup=-5), "`warmup` must be a non-negative whole number"),
    (lambda: Trainer(MLP_NET, TOY, checkpoint_every=0), "`checkpoint_every` must be a positive whole number"),
    (lambda: Trainer(MLP_NET, TOY[:0]), "`data` of member 0 is empty"),
    (lambda: Trainer(MLP_NET, TOY, batch_size=0), "`batch_size` must be a positive whole number"),
    (lambda: Trainer(MLP_NET, TOY).train(-3, progress=False), "`steps` must be a non-negative"),
    (lambda: Trainer(MLP_NET, TOY, ema_decay=1.5), "`ema_decay` must be a finite number in [0, 1), got 1.5"),
    # metrics (item 6)
    (lambda: fid_kid(torch.zeros(2, 1, 8, 8), torch.zeros(20, 1, 8, 8)), "`samples` holds 2 images; FID and KID need at least FID_MIN_IMAGES = 10"),
    (lambda: nll_bpd(ONE, torch.zeros(0, 2)), "`x0` must be a floating-point tensor (B, *shape) with B >= 1"),
    (lambda: aggregate(torch.zeros(3, 0, 2), "geometric"), "`outputs` holds an empty batch (B = 0)"),
    (lambda: ddsm_loss(ONE, torch.zeros(2, 2, dtype=torch.long), T2, X2), "`x0` must be a floating-point tensor"),
    (lambda: ddsm_loss(ONE, X2, torch.tensor([0., 0.5]), X2), "`t` must be > 0"),
    (lambda: Ensemble([ScoreModel(MLP(dim=2)), ScoreModel(MLP(dim=2))])(_nan((2, 2)), T2), "`x` contains 4 NaN or infinite values (the input"),
    (lambda: ScoreModel(MLP(dim=2))(_nan((2, 2)), T2), "`x` contains 4 NaN or infinite values"),
    (lambda: ScoreModel(MLP(dim=2))(X2.double(), T2), "`x` is torch.float64 but the network's weights are torch.float32"),
    # inputs that mean something else (items 7, 9, 10)
    (lambda: IMG_NET(torch.zeros(2, 1, 16, 16), torch.zeros(2)), "built for image_size=8"),
    (lambda: ADM.small(image_size=8)(torch.zeros(2, 1, 32, 32), torch.zeros(2)), "built for image_size=8"),
    (lambda: Ensemble([ScoreModel(MLP(dim=2)), ScoreModel(MLP(dim=2), process=DDPMSchedule())]), "member 0 runs under VPSDE"),
    (lambda: Ensemble([ScoreModel(MLP(dim=2)), lambda x, t: x[:, :1]])(X2, T2), "member 1 returns shape"),
    (lambda: ddim(ONE, DDPMSchedule(), XS, steps=5, eta=5), "`eta` must be a finite number in [0, 1]"),
    (lambda: ddim(ONE, DDPMSchedule(), XS, steps=5, eta=-1), "`eta` must be a finite number in [0, 1]"),
    (lambda: pc_sampler(ONE, VPSDE(), XS, steps=5, n_corrector=-1), "`n_corrector` must be"),
    (lambda: pc_sampler(ONE, VPSDE(), XS, steps=5, snr=-1), "`snr` must be a finite number > 0"),
    (lambda: euler_maruyama(ONE, VPSDE(), XS, steps=5, noise_draws=0), "`noise_draws` must be"),
    (lambda: pf_ode(ONE, VPSDE(), XS, eps=2), "`eps` must be a finite number in (0, 1), got 2"),
    (lambda: aggregate([torch.zeros(2), np.zeros(2)]), "mixes torch tensors and other arrays"),
    (lambda: ForestVP(n_jobs=0), "`n_jobs` must be a positive integer, -1 or None"),
    # issue 35: the faults of the second trial, each a named refusal now
    (lambda: Trainer(MLP_NET, TOY, lr=float("inf")), "`lr` must be a finite number > 0, got inf"),
    (lambda: fid_kid(torch.arange(768.).reshape(12, 1, 8, 8) % 256, torch.zeros(12, 1, 8, 8)), "`samples` must be images with values in [-1, 1], got values in [0, 255]"),
    (lambda: fid_kid(torch.zeros(12, 1, 8, 8), _nan((12, 1, 8, 8))), "`reference` must be images with finite values in [-1, 1], got 768 NaN or infinite values"),
    (lambda: ScoreModel(MLP(dim=2))(X2, torch.zeros(2)), "`t` must lie in (0, T=1] for a network predicting 'eps' (its score divides by sigma_t, which is 0 at t = 0), got t = 0"),
    (lambda: Ensemble([ScoreModel(MLP(dim=2)), ScoreModel(MLP(dim=2))])(X2, torch.zeros(2)), "`t` must lie in (0, T=1]"),
    (lambda: euler_maruyama(ONE, VPSDE(), XS, steps=2.5), "`steps` must be a whole number >= 2, got 2.5"),
    (lambda: heun(ONE, VPSDE(), XS, steps=0), "`steps` must be a positive whole number, got 0"),
    (lambda: ddim(ONE, VPSDE(), XS, steps=5), "`schedule` must be a DDPMSchedule"),
    (lambda: ForestVP(n_estimators=2, n_t=2, duplicate_K=1).fit(np.zeros((5, 2)), int_cols=[2]), "`int_cols` must be a whole number in [0, 1], got 2"),
    (lambda: Ensemble([ScoreModel(MLP(dim=2)), ScoreModel(MLP(dim=2)).to("meta")]), "`members` must live on one device, got member 0 on cpu and member 1 on meta"),
    (lambda: EnsembleUncertainty(Ensemble([ONE])), "`ensemble` must have at least 2 members to disagree, got 1"),
    (lambda: ModelStore(Path(__file__)), "`root` must be a folder one may write, got"),
]


@pytest.mark.parametrize("call, message", REFUSALS, ids=[m[:40] for _, m in REFUSALS])
def test_refused_by_name(call, message):
    with pytest.raises(ValueError) as e: call()
    assert message in str(e.value), str(e.value)


def test_w_test_refuses_nan():
    rng = np.random.default_rng(0)
    test = rng.normal(size=(20, 3)); holed = test.copy(); holed[0, 0] = np.nan
    space = MetricSpace(test)
    with pytest.raises(ValueError, match="`generated` contains 1 NaN"): w_test(holed, test, space)


def test_aggregators_take_lists_and_integers_as_floats():
    for rule in ("mean", "median", "geometric", "dominant", "sum"):
        assert torch.equal(aggregate(torch.tensor([[1, 2], [3, 5]]), rule), aggregate(torch.tensor([[1., 2.], [3., 5.]]), rule))
        np.testing.assert_array_equal(aggregate([[1, 2], [3, 5]], rule), aggregate(np.array([[1., 2.], [3., 5.]]), rule))


def test_member_depends_only_on_its_seed():  # item 1: batches, noise and dropout masks come from the member's own seed
    net = {**MLP_NET, "dropout": 0.3}
    def seed_1(seeds):
        trainer = Trainer(net, TOY, seeds=seeds, batch_size=32, warmup=0)
        for _ in range(3): trainer.train_step()
        return {n: v[seeds.index(1)] for n, v in trainer.params.items()}
    alone, beside = seed_1((1,)), seed_1((0, 1, 2))
    assert all(torch.equal(alone[n], beside[n]) for n in alone)


def test_forest_returns_the_users_labels():  # item 8
    table = np.array([[0.1 * i, 1.0 + i % 3, ["setosa", "versicolor", "virginica"][i % 3]] for i in range(30)], dtype=object)
    forest = ForestVP(n_estimators=2, n_t=3, duplicate_K=2, model="hist_forest").fit(table, cat_cols=[2])
    assert set(forest.sample(12, seed=0)[:, 2]) <= {"setosa", "versicolor", "virginica"}


def _flip(path, n=64):
    raw = bytearray(path.read_bytes()); mid = len(raw) // 2
    raw[mid:mid + n] = bytes(b ^ 0xFF for b in raw[mid:mid + n]); path.write_bytes(bytes(raw))


def test_damaged_member_is_refused_with_how_to_retrain(tmp_path):  # item 2
    store = ModelStore(tmp_path)
    store.members("toy", TOY, MLP_NET, dict(batch_size=32, warmup=0), seeds=[0], steps=2, progress=False)
    (path,) = tmp_path.glob("toy-*/seed_0.pt")
    _flip(path)
    with pytest.raises(DamagedFile, match=r"is damaged.*Delete it"): load_member(path)


def test_damaged_checkpoint_falls_back_to_the_previous(tmp_path):  # item 2
    Trainer(MLP_NET, TOY, out_dir=tmp_path, batch_size=32, checkpoint_every=2).train(4, progress=False)
    _flip(tmp_path / "checkpoint.pt")
    with pytest.warns(UserWarning, match="resuming from the previous checkpoint"):
        assert Trainer(MLP_NET, TOY, out_dir=tmp_path, batch_size=32).step == 2


def test_resume_on_other_data_is_refused(tmp_path):  # item 4
    Trainer(MLP_NET, TOY, out_dir=tmp_path, batch_size=32, checkpoint_every=2).train(2, progress=False)
    with pytest.raises(ValueError, match="was trained on other data"): Trainer(MLP_NET, TOY + 1e-3, out_dir=tmp_path, batch_size=32)


def test_samples_of_retrained_members_are_drawn_again(tmp_path, monkeypatch):  # noticed: the cache key names recipe and seeds, not weights
    from ensdiff.experiments import sample_images
    from ensdiff.train import build_score_model
    monkeypatch.setenv("ENSDIFF_CACHE", str(tmp_path))
    members = [build_score_model(MLP_NET) for _ in range(2)]
    draw = lambda ms: sample_images(Ensemble(ms), 8, (2,), dict(kind="em", steps=4), key="toy ensemble", progress=False)
    first = draw(members)
    torch.manual_seed(1); members[1] = build_score_model(MLP_NET)  # member 1 retrained: same key, other weights
    with pytest.warns(UserWarning, match="drawn by other weights"): again = draw(members)
    assert not torch.equal(first, again)
    assert torch.equal(draw(members), again)  # and now cached for these weights


def test_planted_forest_level_is_never_executed(tmp_path):  # item 3: a pickle would run its payload on load
    import pickle
    class Payload:
        def __reduce__(self): return (Path(tmp_path / "ran").touch, ())
    table = np.random.default_rng(0).normal(size=(40, 3))
    ForestVP(n_estimators=2, n_t=3, duplicate_K=2, model="hist_forest").fit(table, level_dir=tmp_path / "levels")
    for f in (tmp_path / "levels").glob("level-*.npz"): f.write_bytes(pickle.dumps(Payload()))
    with pytest.warns(UserWarning, match="cannot be read"):
        ForestVP(n_estimators=2, n_t=3, duplicate_K=2, model="hist_forest").fit(table, level_dir=tmp_path / "levels")
    assert not (tmp_path / "ran").exists()


@pytest.mark.parametrize("argv, message", [
    (["run", "theory-poe", "-p", "seed=abc"], "parameter `seed` of 'theory-poe' must be an int, got 'abc' (str)"),
    (["run", "forest", "-p", "datasets=iris"], "parameter `datasets` of 'forest' must be a list of strings or None, got 'iris' (str)"),
    (["reproduce", "--only", "theory-poe", "-p", "misspelt:seed=1"], "parameters given for ['misspelt'], which is not among the experiments to run"),
    (["run", "theory-poe", "--runs-dir", "/sys/ensdiff-test/runs"], "cannot write /sys/ensdiff-test"),
    # issue 35: ranges, not only types, before a kernel starts
    (["run", "theory-poe", "-p", "n_samples=-5"], "parameter `n_samples` of 'theory-poe' must be a whole number >= 2, got -5"),
    (["run", "theory-poe", "-p", "n_samples=0"], "parameter `n_samples` of 'theory-poe' must be a whole number >= 2, got 0"),
    (["run", "theory-poe", "-p", "seed=10**23"], "parameter `seed` of 'theory-poe' must be an int, got '10**23' (str)"),
    (["run", "theory-poe", "-p", "seed=100000000000000000000000"], "parameter `seed` of 'theory-poe' must be a whole number in [0, 9223372036854775807], got 100000000000000000000000"),
    (["run", "theory-poe", "-p", "steps=1"], "parameter `steps` of 'theory-poe' must be a whole number >= 2, got 1"),
    (["reproduce", "--only", "nll", "-p", "nll:K=0"], "parameter `K` of 'nll' must be a positive whole number, got 0"),
])
def test_cli_refuses_before_a_kernel_starts(argv, message, tmp_path, monkeypatch):  # items 11, 12
    monkeypatch.setenv("ENSDIFF_RUNS", str(tmp_path))
    with redirect_stderr(io.StringIO()) as err: assert main(argv) == 2
    assert message in err.getvalue() and err.getvalue().count("\n") == 1, err.getvalue()
    assert not any(tmp_path.iterdir())  # no run folder was made


def test_runs_dir_under_a_file_is_refused_by_name(tmp_path, monkeypatch):  # issue 35
    (tmp_path / "notes.txt").write_text("mine")
    for argv in (["run", "theory-poe", "--runs-dir", str(tmp_path / "notes.txt" / "runs")], ["reproduce", "--only", "theory-poe", "--runs-dir", str(tmp_path / "notes.txt")]):
        with redirect_stderr(io.StringIO()) as err: assert main(argv) == 2
        assert "error: `runs_dir` must be a folder one may write, got " in err.getvalue() and "which is a file" in err.getvalue(), err.getvalue()
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_docs_never_deletes_what_it_did_not_write(tmp_path, monkeypatch):  # issue 35: `ensdiff docs --out DIR` once emptied DIR
    thesis = tmp_path / "thesis"; thesis.mkdir(); (thesis / "thesis.tex").write_text("four years")
    monkeypatch.chdir(tmp_path)
    for out in (str(thesis), "."):
        with redirect_stderr(io.StringIO()) as err: assert main(["docs", "--out", out]) == 2
        assert f"error: `out_dir` must be a new or empty folder, or a site `ensdiff docs` built (it holds .ensdiff-site), got {Path(out).resolve()}, which holds other files" in err.getvalue(), err.getvalue()
    assert (thesis / "thesis.tex").read_text() == "four years" and sorted(p.name for p in tmp_path.iterdir()) == ["thesis"]


def test_reproduce_runs_a_name_given_twice_once(tmp_path, monkeypatch):  # issue 35: `--only theory-poe theory-poe` said "1 not reached", exit 1
    from ensdiff.files import write_json_atomic
    import ensdiff.schedule as schedule
    monkeypatch.setattr(schedule, "git_revision", lambda: "abc")
    folder = tmp_path / "theory-poe" / "20260101-000000"; folder.mkdir(parents=True)
    write_json_atomic(folder / "run.json", dict(experiment="theory-poe", preset="smoke", params={}, git="abc"))
    write_json_atomic(folder / "results.json", dict(status="complete", experiment="theory-poe"))
    from contextlib import redirect_stdout
    with redirect_stdout(io.StringIO()) as out: assert main(["reproduce", "--only", "theory-poe", "theory-poe", "--runs-dir", str(tmp_path)]) == 0
    assert "1/1 complete" in out.getvalue() and "not reached" not in out.getvalue(), out.getvalue()


# --- issue 35, item 5: random arguments at the door -------------------------------------------------------------------
# Each public function of sde, samplers, ensemble, metrics, stats and forest, given a random value for one argument
# (numbers of every kind and size, NaN, infinities, booleans, None, strings, lists, numpy scalars), either works or
# raises ValueError / TypeError whose message names that argument in backticks - never a raw error from deep inside.
from hypothesis import HealthCheck, given, settings, strategies as st

from ensdiff.ensemble import MCDropoutEnsemble
from ensdiff.metrics import ScoreNoise, ddsm_eval
from ensdiff.samplers import langevin
from ensdiff.seeding import generators
from ensdiff.stats import PairedBootstrap, precision_recall

_SMALL = st.one_of(st.integers(-5, 40), st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(), st.text(max_size=3),
                   st.sampled_from([np.float64(0.5), np.int64(3), np.float32(2.0), 1e-300, -0.0, 2.5]), st.lists(st.integers(0, 3), max_size=2))
_SEED = st.one_of(_SMALL, st.integers(-10**25, 10**25))
_RNG = np.random.default_rng(0)
_FEATS, _REF = _RNG.normal(size=(12, 3)), _RNG.normal(size=(14, 3))
_TABLE = np.column_stack([_RNG.normal(size=20), _RNG.integers(0, 3, 20), _RNG.normal(size=20)])
_VP = VPSDE()
_EPS_MLP = ScoreModel(MLP(dim=2, hidden=8, layers=1, dropout=0.1))
_FOREST = dict(n_estimators=2, n_t=2, duplicate_K=1, model="hist_forest", n_jobs=1)

PROPERTY_TARGETS = [  # (name of the argument, a call taking its value, values)
    ("beta_min", lambda v: VPSDE(beta_min=v), _SMALL), ("beta_max", lambda v: VPSDE(beta_max=v), _SMALL), ("T", lambda v: VPSDE(T=v), _SMALL),
    ("n", lambda v: DDPMSchedule(n=v), _SMALL), ("beta_start", lambda v: DDPMSchedule(beta_start=v), _SMALL),
    ("seeds", lambda v: generators([v]), _SEED),
    ("steps", lambda v: euler_maruyama(ONE, _VP, XS, steps=v), _SMALL), ("eps", lambda v: euler_maruyama(ONE, _VP, XS, steps=3, eps=v), _SMALL),
    ("noise_draws", lambda v: euler_maruyama(ONE, _VP, XS, steps=3, noise_draws=v), _SMALL),
    ("steps", lambda v: heun(ONE, _VP, XS, steps=v), _SMALL), ("eps", lambda v: heun(ONE, _VP, XS, steps=2, eps=v), _SMALL),
    ("steps", lambda v: ddim(ONE, DDPMSchedule(), XS, steps=v), _SMALL), ("eta", lambda v: ddim(ONE, DDPMSchedule(), XS, steps=3, eta=v), _SMALL),
    ("schedule", lambda v: ddim(ONE, v, XS, steps=3), st.one_of(_SMALL, st.just(_VP))),
    ("snr", lambda v: pc_sampler(ONE, _VP, XS, steps=3, snr=v), _SMALL), ("n_corrector", lambda v: pc_sampler(ONE, _VP, XS, steps=3, n_corrector=v), _SMALL),
    ("n", lambda v: langevin(ONE, _VP, XS, torch.full((3,), .5), 0.1, n=v), _SMALL), ("eps", lambda v: pf_ode(ONE, _VP, XS, eps=v), _SMALL),
    ("sde", lambda v: euler_maruyama(ONE, v, XS, steps=3), st.one_of(_SMALL, st.just(DDPMSchedule()))),
    ("rule", lambda v: Ensemble([ONE, ONE], rule=v), _SMALL), ("backend", lambda v: Ensemble([ONE, ONE], backend=v), _SMALL),
    ("space", lambda v: Ensemble([ONE, ONE], space=v), _SMALL), ("fast", lambda v: Ensemble([ONE, ONE], fast=v), _SMALL),
    ("K", lambda v: MCDropoutEnsemble(_EPS_MLP, K=v), _SMALL),
    ("t", lambda v: Ensemble([_EPS_MLP, _EPS_MLP])(X2, torch.full((2,), v) if isinstance(v, float) else v), _SMALL),
    ("tau", lambda v: ScoreNoise(ONE, v), _SMALL),
    ("n_draws", lambda v: ddsm_eval(ONE, TOY[:8], n_draws=v), _SMALL), ("batch_size", lambda v: ddsm_eval(ONE, TOY[:8], batch_size=v), _SMALL),
    ("t_min", lambda v: ddsm_eval(ONE, TOY[:8], t_min=v), _SMALL), ("eps", lambda v: nll_bpd(ONE, TOY[:2], eps=v, rtol=1e-3, atol=1e-3), _SMALL),
    ("n_boot", lambda v: PairedBootstrap({"a": _FEATS}, _REF, n_boot=v), _SMALL), ("seed", lambda v: PairedBootstrap({}, _REF, n_boot=2, seed=v), _SEED),
    ("method", lambda v: PairedBootstrap({}, _REF, n_boot=2, method=v), _SMALL), ("chunk", lambda v: PairedBootstrap({"a": _FEATS}, _REF, n_boot=4, chunk=v), _SMALL),
    ("labels", lambda v: PairedBootstrap({"a": _FEATS}, _REF, n_boot=4).vs_average("a", v), st.one_of(_SMALL, st.just([]), st.just(["a"]))),
    ("k", lambda v: precision_recall(_FEATS, _REF, k=v), _SMALL),
    ("n_estimators", lambda v: ForestVP(n_estimators=v), _SMALL), ("n_t", lambda v: ForestVP(n_t=v), _SMALL),
    ("duplicate_K", lambda v: ForestVP(duplicate_K=v), _SMALL), ("eps", lambda v: ForestVP(eps=v), _SMALL),
    ("max_depth", lambda v: ForestVP(max_depth=v), _SMALL), ("seed", lambda v: ForestVP(seed=v), _SEED), ("n_jobs", lambda v: ForestVP(n_jobs=v), _SMALL),
    ("cat_cols", lambda v: ForestVP(**_FOREST).fit(_TABLE, cat_cols=[v]), _SMALL), ("int_cols", lambda v: ForestVP(**_FOREST).fit(_TABLE, int_cols=[v]), _SMALL),
]


@pytest.mark.parametrize("name, call, values", PROPERTY_TARGETS, ids=[f"{i}-{t[0]}" for i, t in enumerate(PROPERTY_TARGETS)])
def test_random_arguments_work_or_are_refused_by_name(name, call, values):
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
    @given(values)
    def check(value):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try: call(value)
            except (ValueError, TypeError) as e: assert f"`{name}" in str(e), f"{name}={value!r}: {type(e).__name__}: {e}"
    check()


def test_a_member_without_its_digest_is_damage_not_trust(tmp_path):  # issue 35: a deleted .sha256 meant "not checked at all"
    from ensdiff.files import digest_path
    store = ModelStore(tmp_path)
    store.members("toy", TOY, MLP_NET, dict(batch_size=32, warmup=0), seeds=[0], steps=2, progress=False)
    (path,) = tmp_path.glob("toy-*/seed_0.pt")
    digest_path(path).unlink()
    with pytest.raises(DamagedFile, match=r"has no recorded SHA-256 \(seed_0.pt.sha256 is missing\): it cannot prove what it is.*Delete it"): load_member(path)


def test_another_architecture_under_a_key_is_refused(tmp_path):  # issue 35: a 12,738-parameter net came back for a 1,378-parameter key
    import shutil
    from ensdiff.files import digest_path
    store, recipe, big = ModelStore(tmp_path), dict(batch_size=32, warmup=0), {**MLP_NET, "hidden": 64}
    for net in (MLP_NET, big): store.members("toy", TOY, net, recipe, seeds=[0], steps=2, progress=False)
    small, large = (store.path("toy", net, {**recipe, "steps": 2}, 0) for net in (MLP_NET, big))
    shutil.copy(large, small); shutil.copy(digest_path(large), digest_path(small))
    with pytest.raises(ValueError, match=r"`net_config` asks for another member than the file .* holds \(asked, held: \{'hidden': \(32, 64\)\}\)"):
        store.members("toy", TOY, MLP_NET, recipe, seeds=[0], steps=2, progress=False)
    plain = tmp_path / "plain.pt"; save_atomic(ScoreModel(MLP(dim=2)).state_dict(), plain)
    with pytest.raises(ValueError, match=r"holds a plain state dict: load a state dict into its network with `net.load_state_dict\(ensdiff.files.load_checkpoint\(path\)\)`"): load_member(plain)


def test_a_kill_between_the_renames_of_a_checkpoint_resumes_from_the_newest_good_one(tmp_path, monkeypatch):  # issue 35: training restarted at step 0
    import os
    rename, resumed = os.replace, []
    for n in range(10):
        out = tmp_path / f"kill_{n}"
        trainer = Trainer(MLP_NET, TOY, out_dir=out, batch_size=32, warmup=0, checkpoint_every=2).train(4, progress=False)
        trainer.train_step(); trainer.train_step()
        calls = []
        def dying(src, dst):
            if len(calls) == n: raise KeyboardInterrupt("killed")
            calls.append(dst); return rename(src, dst)
        monkeypatch.setattr(os, "replace", dying)
        try: trainer.save_checkpoint(); stopped = False
        except KeyboardInterrupt: stopped = True
        monkeypatch.setattr(os, "replace", rename)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no file may read as damaged
            resumed.append(Trainer(MLP_NET, TOY, out_dir=out, batch_size=32, warmup=0).step)
        if not stopped: break
    assert resumed == [4, 4, 4, 4, 4, 6, 6], resumed


def test_training_stops_at_the_first_non_finite_loss_keeping_its_checkpoint(tmp_path):  # issue 35: lr=inf trained NaN members silently
    trainer = Trainer(MLP_NET, TOY, out_dir=tmp_path, batch_size=32, warmup=0, checkpoint_every=1, lr=1e30)  # finite, and far too large
    with pytest.raises(FloatingPointError, match=r"training stopped at step 2: the loss of member\(s\) \[0\] \(seed\(s\) \[0\]\) is (nan|inf); the last good checkpoint"):
        trainer.train(10, progress=False)
    assert load_checkpoint(tmp_path / "checkpoint.pt")["step"] == 1


def test_distill_refuses_to_resume_another_run(tmp_path):  # issue 35: another teacher, data, seed or lr continued silently
    from ensdiff.distill import distill
    teacher = Ensemble([ScoreModel(MLP(dim=2, hidden=8, layers=1)) for _ in range(2)])
    run = lambda **kw: distill(kw.pop("teacher", teacher), kw.pop("data", TOY), MLP_NET, batch_size=32, warmup=0, out_dir=tmp_path, checkpoint_every=2, progress=False, **{"steps": 4, **kw})
    run()
    for kw, differing in ((dict(teacher=Ensemble([teacher.members[0], ScoreModel(MLP(dim=2, hidden=8, layers=1))])), "['members', 'teacher'] (teacher members [1])"),
                          (dict(data=TOY + 1), "['data']"), (dict(seed=3), "['seed']"), (dict(lr=1e-2), "['lr']")):
        with pytest.raises(ValueError, match=re.escape(f"`out_dir` holds another distillation run ({tmp_path / 'checkpoint.pt'}): differing {differing}")): run(**kw)
    with pytest.raises(ValueError, match="`steps` must be at least the 4 steps the checkpoint in `out_dir` has taken"): run(steps=2)


def test_a_damaged_results_json_is_named_and_skipped(tmp_path, monkeypatch):  # issue 35: "Invalid control character at: line 1 column 18", no file named
    from contextlib import redirect_stdout
    from ensdiff.files import write_json_atomic
    for stamp, text in (("20260101-000000", None), ("20260102-000000", b'{"status": "compl\x01')):
        folder = tmp_path / "theory-poe" / stamp; folder.mkdir(parents=True)
        write_json_atomic(folder / "run.json", dict(experiment="theory-poe", preset="smoke", params={}, git="abc"))
        if text: (folder / "results.json").write_bytes(text)
        else: write_json_atomic(folder / "results.json", dict(status="complete", experiment="theory-poe"))
    with redirect_stdout(io.StringIO()) as out: assert main(["show", str(tmp_path / "theory-poe")]) == 0
    assert f"{tmp_path / 'theory-poe' / '20260102-000000' / 'results.json'} is damaged (JSONDecodeError: Invalid control character" in out.getvalue(), out.getvalue()
    assert "its run is skipped" in out.getvalue() and "20260101-000000  complete" in out.getvalue()
