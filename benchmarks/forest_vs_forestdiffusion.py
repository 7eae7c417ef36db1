"""Forest-VP side by side with the official implementation (forestdiffusion 1.0.6), and the cost of per-tree outputs.

    pip install forestdiffusion lightgbm catboost pandas   # optional benchmark dependencies (forestdiffusion imports all three)
    python benchmarks/forest_vs_forestdiffusion.py [--splits 0,1,2] [--trees 100]

Part 1: the same Iris splits (test 20%, stratified; the label as a categorical last column), random forests of 100
trees, VP, n_t = 50, duplicate_K = 100: W_test of both (our metric on both sets of samples) and wall-clock of fit and of
sampling, as ratios ours / theirs, in one run. forestdiffusion gets n_batch=0 (its default n_batch=1 silently trains
XGBoost) and model='random_forest'.

Part 2: at one noise level of a 1000-tree forest on 15,000 rows, the time of (a) the forest's own averaged `predict`,
(b) our per-tree path (a loop over `estimators_`, float32 input, no input checks), (c) one `apply` plus a gather from the
padded leaf values.
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


def part1(splits, trees):
    from ForestDiffusion import ForestDiffusionModel
    X, rows = iris_table(), []
    for split in splits:
        tr, _, te = split_indices(len(X), seed=split, test=0.2, stratify=X[:, -1])
        space = MetricSpace(X[tr], cat_cols=[4])
        ours, fit_ours = timed(lambda: ForestVP(n_estimators=trees, seed=split).fit(X[tr], cat_cols=[4]))
        gen_ours, sample_ours = timed(lambda: ours.sample(len(tr), seed=split))
        theirs, fit_theirs = timed(lambda: ForestDiffusionModel(X[tr], n_t=50, duplicate_K=100, model="random_forest", diffusion_type="vp",
                                                              n_estimators=trees, max_depth=7, cat_indexes=[4], n_batch=0, n_jobs=-1, seed=split))
        gen_theirs, sample_theirs = timed(lambda: theirs.generate(batch_size=len(tr)))
        rows.append(dict(split=split, w_ours=w_test(gen_ours, X[te], space), w_theirs=w_test(gen_theirs, X[te], space),
                         fit_ours=fit_ours, fit_theirs=fit_theirs, sample_ours=sample_ours, sample_theirs=sample_theirs))
        print(rows[-1], flush=True)
    mean = {k: float(np.mean([r[k] for r in rows])) for k in rows[0] if k != "split"}
    print("\n| | ours | forestdiffusion | ours / theirs |\n|---|---|---|---|")
    print(f"| W_test (mean of {len(rows)} splits) | {mean['w_ours']:.3f} | {mean['w_theirs']:.3f} | difference {mean['w_ours'] - mean['w_theirs']:+.3f} |")
    for what in ("fit", "sample"):
        print(f"| {what} (s) | {mean[what + '_ours']:.1f} | {mean[what + '_theirs']:.1f} | {mean[what + '_ours'] / mean[what + '_theirs']:.2f} |")
    total_ours, total_theirs = mean["fit_ours"] + mean["sample_ours"], mean["fit_theirs"] + mean["sample_theirs"]
    print(f"| fit + sample (s) | {total_ours:.1f} | {total_theirs:.1f} | {total_ours / total_theirs:.2f} |")


def part2(trees=1000, rows=15_000, repeats=3):
    from sklearn.ensemble import RandomForestRegressor
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((rows, 6)).astype(np.float32), rng.standard_normal((rows, 6))
    forest = RandomForestRegressor(n_estimators=trees, max_depth=7, n_jobs=-1, random_state=0).fit(X, Y)
    model = object.__new__(ForestVP); model.forests, model.K = [forest], trees
    values = [t.tree_.value[:, :, 0] for t in forest.estimators_]
    padded = np.zeros((trees, max(len(v) for v in values), 6))
    for k, v in enumerate(values): padded[k, :len(v)] = v
    def apply_gather():
        leaves = forest.apply(X)  # (rows, trees)
        return padded[np.arange(trees)[None, :], leaves].transpose(1, 0, 2)
    t_avg = min(timed(lambda: forest.predict(X))[1] for _ in range(repeats))
    t_loop = min(timed(lambda: model.tree_outputs(X, 0))[1] for _ in range(repeats))
    t_gather = min(timed(apply_gather)[1] for _ in range(repeats))
    assert np.allclose(apply_gather(), model.tree_outputs(X, 0))
    print(f"\n{trees} trees x {rows} rows: forest.predict {t_avg:.2f} s, per-tree loop {t_loop:.2f} s ({t_loop / t_avg:.2f}x), "
          f"apply + gather {t_gather:.2f} s ({t_gather / t_avg:.2f}x)")


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--splits", default="0,1,2")
    p.add_argument("--trees", type=int, default=100)
    p.add_argument("--skip-part1", action="store_true")
    args = p.parse_args()
    if not args.skip_part1: part1([int(s) for s in args.splits.split(",")], args.trees)
    part2()
