"""Forest-VP side by side with the official implementation (forestdiffusion 1.0.6), and the cost of per-tree outputs.

    pip install forestdiffusion lightgbm catboost pandas   # optional benchmark dependencies (forestdiffusion imports all three)
    python benchmarks/forest_vs_forestdiffusion.py [--splits 0,1,2] [--trees 100]

Part 1: the same Iris splits (test 20%, stratified; the label as a categorical last column), random forests of 100
trees, VP, n_t = 50, duplicate_K = 100: W_test of both (our metric on both sets of samples, averaged over `--draws`
samplings per split, since one draw of 120 rows against 30 test rows is noisy) and wall-clock of fit and of sampling, as
ratios ours / theirs, in one run. forestdiffusion gets n_batch=0 (its default n_batch=1 silently trains
XGBoost) and model='random_forest'.

Part 2: at one noise level of a 1000-tree forest on 15,000 rows, the time of (a) the forest's own averaged `predict`,
(b) a loop of each tree's `predict` over `estimators_` (float32 input, no input checks), (c) our per-tree path
`ForestVP.tree_outputs` (leaf indices from `apply` in one chunk of trees per thread, then one gather from the
concatenated leaf values); (b) and (c) are checked equal to the bit.
"""
import argparse, time

import numpy as np

from ensdiff.data import load_tabular, split_indices
from ensdiff.forest import ForestVP, MetricSpace, w_test


def iris_table():
    t = load_tabular("iris")
    return np.concatenate([t.X, t.y[:, None].astype(float)], 1)


def timed(fn):
    start = time.perf_counter(); out = fn(); return out, time.perf_counter() - start


def part1(splits, trees, draws):
    from ForestDiffusion import ForestDiffusionModel
    X, rows = iris_table(), []
    for split in splits:
        tr, _, te = split_indices(len(X), seed=split, test=0.2, stratify=X[:, -1])
        space = MetricSpace(X[tr], cat_cols=[4])
        fit_ours_fn = lambda: ForestVP(n_estimators=trees, seed=split).fit(X[tr], cat_cols=[4])
        fit_theirs_fn = lambda: ForestDiffusionModel(X[tr], n_t=50, duplicate_K=100, model="random_forest", diffusion_type="vp",
                                                     n_estimators=trees, max_depth=7, cat_indexes=[4], n_batch=0, n_jobs=-1, seed=split)
        if split % 2:  # who fits first alternates between splits: the second fit of a pair tends to run a little faster
            (theirs, fit_theirs), (ours, fit_ours) = timed(fit_theirs_fn), timed(fit_ours_fn)
        else:
            (ours, fit_ours), (theirs, fit_theirs) = timed(fit_ours_fn), timed(fit_theirs_fn)
        w_ours, w_theirs, t_ours, t_theirs = [], [], [], []
        for d in range(draws):  # several draws of samples: W_test on 30 test rows is noisy
            gen, t = timed(lambda: ours.sample(len(tr), seed=100 * split + d)); w_ours.append(w_test(gen, X[te], space)); t_ours.append(t)
            np.random.seed(100 * split + d)
            gen, t = timed(lambda: theirs.generate(batch_size=len(tr))); w_theirs.append(w_test(gen, X[te], space)); t_theirs.append(t)
        rows.append(dict(split=split, w_ours=np.mean(w_ours), w_theirs=np.mean(w_theirs), w_sd_ours=np.std(w_ours), w_sd_theirs=np.std(w_theirs),
                         fit_ours=fit_ours, fit_theirs=fit_theirs, sample_ours=np.mean(t_ours), sample_theirs=np.mean(t_theirs)))
        print({k: round(float(v), 4) for k, v in rows[-1].items()}, flush=True)
    mean = {k: float(np.mean([r[k] for r in rows])) for k in rows[0] if k != "split"}
    n = len(rows) * draws
    print(f"\n| | ours | forestdiffusion | ours / theirs |\n|---|---|---|---|")
    print(f"| W_test (mean of {len(rows)} splits x {draws} draws) | {mean['w_ours']:.3f} (sd of a draw {mean['w_sd_ours']:.3f}) | "
          f"{mean['w_theirs']:.3f} (sd {mean['w_sd_theirs']:.3f}) | difference {mean['w_ours'] - mean['w_theirs']:+.3f} |")
    for what in ("fit", "sample"):
        print(f"| {what} (s) | {mean[what + '_ours']:.2f} | {mean[what + '_theirs']:.2f} | {mean[what + '_ours'] / mean[what + '_theirs']:.2f} |")
    total_ours, total_theirs = mean["fit_ours"] + mean["sample_ours"], mean["fit_theirs"] + mean["sample_theirs"]
    print(f"| fit + one sampling (s) | {total_ours:.1f} | {total_theirs:.1f} | {total_ours / total_theirs:.2f} |")


def part2(trees=1000, rows=15_000, repeats=3):
    from sklearn.ensemble import RandomForestRegressor
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((rows, 6)).astype(np.float32), rng.standard_normal((rows, 6))
    forest = RandomForestRegressor(n_estimators=trees, max_depth=7, n_jobs=-1, random_state=0).fit(X, Y)
    model = object.__new__(ForestVP); model.forests, model.K, model.n_jobs = [forest], trees, -1
    loop = lambda: np.stack([tree.predict(X, check_input=False) for tree in forest.estimators_])
    t_avg = min(timed(lambda: forest.predict(X))[1] for _ in range(repeats))
    t_loop = min(timed(loop)[1] for _ in range(repeats))
    t_ours = min(timed(lambda: model.tree_outputs(X, 0))[1] for _ in range(repeats))
    assert np.array_equal(model.tree_outputs(X, 0), loop())
    print(f"\n{trees} trees x {rows} rows: forest.predict (averaged) {t_avg:.2f} s; all trees' outputs: loop of tree.predict "
          f"{t_loop:.2f} s ({t_loop / t_avg:.2f}x), ForestVP.tree_outputs (threaded apply + one gather) {t_ours:.2f} s ({t_ours / t_avg:.2f}x)")


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--splits", default="0,1,2")
    p.add_argument("--trees", type=int, default=100)
    p.add_argument("--draws", type=int, default=10, help="samplings per split and implementation")
    p.add_argument("--skip-part1", action="store_true")
    p.add_argument("--skip-part2", action="store_true")
    args = p.parse_args()
    if not args.skip_part1: part1([int(s) for s in args.splits.split(",")], args.trees, args.draws)
    if not args.skip_part2: part2()
