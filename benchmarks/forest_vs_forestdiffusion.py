"""Forest-VP side by side with the official implementation (forestdiffusion 1.0.6), with both of our learners, and the cost of per-tree outputs.

    pip install forestdiffusion lightgbm catboost pandas   # optional benchmark dependencies (forestdiffusion imports all three)
    python benchmarks/forest_vs_forestdiffusion.py [--dataset iris] [--splits 0,1,2] [--trees 100] [--draws 10]

Part 1: the same splits (test 20%, stratified on Iris; the label or the integer columns declared as such), forests of
`--trees` trees, VP, n_t = 50, duplicate_K = 100, max_depth 7, in one run: forestdiffusion (scikit-learn forests;
n_batch=0, since its default n_batch=1 silently trains XGBoost), ours with the same scikit-learn forests
(`model='random_forest'`, skipped with --skip-sklearn) and ours with the histogram forest (`model='hist_forest'`).
W_test is our metric on every implementation's samples, averaged over `--draws` samplings per split; ours also with
the dominant rule. Which implementation fits first rotates between splits. Times are wall-clock on all cores.

Part 2: at one noise level of a 1000-tree forest on 15,000 rows, the time of (a) the scikit-learn forest's own averaged
`predict`, (b) a loop of each tree's `predict` over `estimators_`, (c) `ForestVP.tree_outputs` on the scikit-learn
forest (leaf indices from `apply` in one chunk of trees per thread, then one gather), (d) `HistForest.tree_outputs`
(every tree's output, numba); (b) and (c) are checked equal to the bit.
"""
import argparse, time

import numpy as np

from ensdiff.data import split_indices
from ensdiff.forest import ForestVP, MetricSpace, forest_table, w_test


def timed(fn):
    start = time.perf_counter(); out = fn(); return out, time.perf_counter() - start


def part1(dataset, splits, trees, draws, sklearn=True):
    from ForestDiffusion import ForestDiffusionModel
    X, cat, ints, task = forest_table(dataset)
    names = ["theirs"] + (["sklearn"] if sklearn else []) + ["hist"]
    rows = []
    for split in splits:
        tr, _, te = split_indices(len(X), seed=split, test=0.2, stratify=X[:, -1] if task == "classification" else None)
        space = MetricSpace(X[tr], cat_cols=cat)
        fits = dict(
            theirs=lambda: ForestDiffusionModel(X[tr], n_t=50, duplicate_K=100, model="random_forest", diffusion_type="vp", n_estimators=trees,
                                                max_depth=7, cat_indexes=cat, int_indexes=ints, n_batch=0, n_jobs=-1, seed=split),
            sklearn=lambda: ForestVP(n_estimators=trees, seed=split).fit(X[tr], cat_cols=cat, int_cols=ints),
            hist=lambda: ForestVP(n_estimators=trees, seed=split, model="hist_forest").fit(X[tr], cat_cols=cat, int_cols=ints))
        order = names[split % len(names):] + names[:split % len(names)]  # who fits first rotates between splits
        models, row = {}, dict(split=split)
        for name in order: models[name], row[f"fit_{name}"] = timed(fits[name])
        for name in names:
            w, wd, ts = [], [], []
            for d in range(draws):  # W_test on a small test split is noisy: several draws
                if name == "theirs":
                    np.random.seed(100 * split + d)
                    gen, t = timed(lambda: models[name].generate(batch_size=len(tr)))
                else:
                    gen, t = timed(lambda: models[name].sample(len(tr), seed=100 * split + d))
                    wd.append(w_test(models[name].with_trees(trees, "dominant").sample(len(tr), seed=100 * split + d), X[te], space))
                w.append(w_test(gen, X[te], space)); ts.append(t)
            row.update({f"w_{name}": np.mean(w), f"wsd_{name}": np.std(w), f"sample_{name}": np.mean(ts)})
            if wd: row[f"wdom_{name}"] = np.mean(wd)
        rows.append(row)
        print({k: round(float(v), 4) for k, v in row.items()}, flush=True)
    mean = {k: float(np.mean([r[k] for r in rows])) for k in rows[0] if k != "split"}
    label = dict(theirs="forestdiffusion", sklearn="ours, scikit-learn forests", hist="ours, hist_forest")
    print(f"\n{dataset}: {len(rows)} split(s) x {draws} draws, {trees} trees\n")
    print("| | " + " | ".join(label[n] for n in names) + " |\n|---|" + "---|" * len(names))
    print("| W_test, mean rule | " + " | ".join(f"{mean['w_' + n]:.3f} (sd of a draw {mean['wsd_' + n]:.3f})" for n in names) + " |")
    print("| W_test, dominant rule | " + " | ".join(f"{mean['wdom_' + n]:.3f}" if 'wdom_' + n in mean else "-" for n in names) + " |")
    for what in ("fit", "sample"):
        print(f"| {what} (s) | " + " | ".join(f"{mean[f'{what}_{n}']:.2f}" for n in names) + " |")
    total = {n: mean[f"fit_{n}"] + mean[f"sample_{n}"] for n in names}
    print("| fit + one sampling (s) | " + " | ".join(f"{total[n]:.1f}" for n in names) + " |")
    print("| / forestdiffusion | " + " | ".join(f"{total[n] / total['theirs']:.3f}" for n in names) + " |")


def part2(trees=1000, rows=15_000, repeats=3):
    from sklearn.ensemble import RandomForestRegressor
    from ensdiff.hist_forest import HistForest
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((rows, 6)).astype(np.float32), rng.standard_normal((rows, 6))
    forest = RandomForestRegressor(n_estimators=trees, max_depth=7, n_jobs=-1, random_state=0).fit(X, Y)
    hist = HistForest(trees).fit(X, Y)
    model = object.__new__(ForestVP); model.forests, model.K, model.n_jobs, model.model = [forest], trees, -1, "random_forest"
    loop = lambda: np.stack([tree.predict(X, check_input=False) for tree in forest.estimators_])
    t_avg = min(timed(lambda: forest.predict(X))[1] for _ in range(repeats))
    t_loop = min(timed(loop)[1] for _ in range(repeats))
    t_ours = min(timed(lambda: model.tree_outputs(X, 0))[1] for _ in range(repeats))
    t_hist = min(timed(lambda: hist.tree_outputs(X))[1] for _ in range(repeats))
    assert np.array_equal(model.tree_outputs(X, 0), loop())
    print(f"\n{trees} trees x {rows} rows: scikit-learn forest.predict (averaged) {t_avg:.2f} s; all trees' outputs: loop of tree.predict "
          f"{t_loop:.2f} s ({t_loop / t_avg:.2f}x), ForestVP.tree_outputs (threaded apply + one gather) {t_ours:.2f} s ({t_ours / t_avg:.2f}x), "
          f"HistForest.tree_outputs {t_hist:.2f} s ({t_hist / t_avg:.2f}x)")


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dataset", default="iris")
    p.add_argument("--splits", default="0,1,2")
    p.add_argument("--trees", type=int, default=100)
    p.add_argument("--draws", type=int, default=10, help="samplings per split and implementation")
    p.add_argument("--skip-sklearn", action="store_true", help="leave out our scikit-learn-forest fit (the same work as forestdiffusion's)")
    p.add_argument("--skip-part1", action="store_true")
    p.add_argument("--skip-part2", action="store_true")
    args = p.parse_args()
    if not args.skip_part1: part1(args.dataset, [int(s) for s in args.splits.split(",")], args.trees, args.draws, not args.skip_sklearn)
    if not args.skip_part2: part2()
