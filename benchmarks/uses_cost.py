"""What the uses of K scores cost per sample, side by side: guidance, uncertainty recording and a distilled student.

One run, the same members (the cpu preset's DDPM++, random weights: the cost does not depend on training), the same noise
and the same Euler-Maruyama steps for every model: one member (which is also what a distilled student costs), the mean
of K, the four guided pairs of `47_exp_guidance` at w = 1, and the mean with `EnsembleUncertainty` recording the score
disagreement (every step) and the x0 spread in a classifier's features (every 10th step). Every model takes a 2-step
warm-up, then the repeats go round robin over the models. The table gives the median time per sample over `--repeats`
runs, their range (max - min), its ratio to one member, and the network evaluations per sample that
`ensdiff.guidance.network_evaluations` counts.

    python benchmarks/uses_cost.py --threads 1 [--n 128] [--steps 100] [--repeats 2]
"""
import argparse, copy, platform, statistics, time

import torch

from ensdiff.ensemble import Ensemble, MCDropoutEnsemble
from ensdiff.experiments import image_setup, recipe
from ensdiff.guidance import Guided, network_evaluations
from ensdiff.metrics import DigitClassifier
from ensdiff.samplers import euler_maruyama
from ensdiff.sde import VPSDE
from ensdiff.train import build_score_model
from ensdiff.uncertainty import EnsembleUncertainty


def models(K=5):
    "label -> (score model, network evaluations per step, classifier passes per step)."
    rec = recipe(image_setup("cpu"))
    torch.manual_seed(0)
    members = [build_score_model(rec.net).eval() for _ in range(K)]
    snapshot = copy.deepcopy(members[0])
    mean = Ensemble(members)
    classifier = DigitClassifier(8).eval()
    out = {"one member (= a distilled student)": members[0], f"mean of {K}": mean,
           "guided: mean vs member": Guided(mean, members[0]), "guided: mean vs mean of 2": Guided(mean, Ensemble(members[:2])),
           "guided: member vs snapshot": Guided(members[0], snapshot), "guided: member vs dropout": Guided(members[0], MCDropoutEnsemble(members[0], K=1)),
           f"mean of {K} + score disagreement": EnsembleUncertainty(Ensemble(members)),
           f"mean of {K} + score and feature disagreement": EnsembleUncertainty(Ensemble(members), features=lambda x: classifier.features(x), feature_every=10)}
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--threads", type=int, default=1); p.add_argument("--n", type=int, default=128)
    p.add_argument("--steps", type=int, default=100); p.add_argument("--repeats", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    sde, x_T = VPSDE(), torch.randn(a.n, 1, 8, 8, generator=torch.Generator().manual_seed(1))
    ms = models()
    times = {label: [] for label in ms}
    with torch.no_grad():
        for model in ms.values(): euler_maruyama(model, sde, x_T[:8], steps=2)  # warm-up: first-call allocations are not timed
        for _ in range(a.repeats):  # round robin: a drift of the machine's speed spreads over every model alike
            for label, model in ms.items():
                if isinstance(model, EnsembleUncertainty): model.reset()  # record this batch only
                start = time.perf_counter()
                euler_maruyama(model, sde, x_T, steps=a.steps, generator=torch.Generator().manual_seed(2))
                times[label].append(time.perf_counter() - start)
    rows = [(label, 1e3 * statistics.median(times[label]) / a.n, 1e3 * (max(times[label]) - min(times[label])) / a.n,
             network_evaluations(m.ensemble if isinstance(m, EnsembleUncertainty) else m) * a.steps) for label, m in ms.items()]
    base = rows[0][1]
    print(f"{platform.machine()}, {a.threads} torch thread(s), torch {torch.__version__}, N = {a.n}, {a.steps} Euler-Maruyama steps, median of {a.repeats}")
    print("| model | ms per sample | range over the repeats | / one member | network evaluations per sample |\n|---|---|---|---|---|")
    for label, ms, spread, evals in rows: print(f"| {label} | {ms:.1f} | {spread:.1f} | {ms / base:.2f} | {evals} |")


if __name__ == "__main__":
    main()
