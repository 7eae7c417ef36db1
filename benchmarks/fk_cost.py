"""What the corrected samplers of `ensdiff.fk` cost beside the naive mean ensemble, per sample.

Side by side in one run, on the same members and the same number of steps: Euler-Maruyama with the mean score
(`euler_maruyama` + `Ensemble`), the Feynman-Kac corrected mean and product (`fk_sampler`), and the exact mixture
(`superposition_sampler`), and for U-Net members the learned aggregations of `ensdiff.learned` sampled with
Euler-Maruyama (a time gate, a per-pixel state gate, AFA-style feature fusion; fresh weights: the cost does not depend
on training). Every sampler evaluates the K members once per step, so the differences are the weights, the
resampling, the density estimates and the gates. Two member kinds: exact Gaussian experts (the members cost almost nothing,
so the overhead shows in full) and small U-Nets (the cpu preset's DDPM++, random weights: the cost does not depend on
training).

    python benchmarks/fk_cost.py --threads 1 [--case all|gaussian|unet] [--n-unet 256]
"""
import argparse, platform, statistics, time

import torch

from ensdiff.ensemble import Ensemble
from ensdiff.experiments import image_setup
from ensdiff.fk import GaussianExpert, fk_sampler, superposition_sampler
from ensdiff.learned import Gate, GatedEnsemble, fused_ensemble
from ensdiff.samplers import euler_maruyama
from ensdiff.sde import VPSDE
from ensdiff.train import build_score_model


def samplers(sde, steps, learned=False):
    "name -> function(members, x_T, generator) returning samples; with `learned`, also the learned aggregations (U-Net members)."
    out = {
        "naive mean (euler_maruyama)": lambda m, x, g: euler_maruyama(Ensemble(m), sde, x, steps=steps, generator=g),
        "FK mean (fk_sampler)": lambda m, x, g: fk_sampler(m, sde, x, steps=steps, generator=g).x,
        "FK product (fk_sampler)": lambda m, x, g: fk_sampler(m, sde, x, exponents="product", steps=steps, generator=g).x,
        "exact mixture (superposition_sampler)": lambda m, x, g: superposition_sampler(m, sde, x, steps=steps, generator=g).x,
    }
    if learned: out.update({
        "learned time gate (GatedEnsemble)": lambda m, x, g: euler_maruyama(GatedEnsemble(m, Gate(len(m), "time")), sde, x, steps=steps, generator=g),
        "learned per-pixel gate (GatedEnsemble)": lambda m, x, g: euler_maruyama(
            GatedEnsemble(m, Gate(len(m), "state", shape=x.shape[1:], per_pixel=True)), sde, x, steps=steps, generator=g),
        "feature fusion (fused_ensemble)": lambda m, x, g: euler_maruyama(fused_ensemble(m), sde, x, steps=steps, generator=g),
    })
    return out


def time_samplers(members, shape, N, steps, repeats, learned=False):
    "Median seconds per sample of each sampler over `repeats` runs."
    sde, out = VPSDE(), {}
    for name, run in samplers(sde, steps, learned).items():
        times = []
        for r in range(repeats):
            g = torch.Generator().manual_seed(r)
            x = torch.randn(N, *shape, generator=g)
            with torch.no_grad():
                start = time.perf_counter(); run(members, x, g); times.append(time.perf_counter() - start)
        out[name] = statistics.median(times) / N
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=torch.get_num_threads(), help="torch threads")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per sampler")
    parser.add_argument("--case", default="all", choices=["all", "gaussian", "unet"], help="which members")
    parser.add_argument("--n-unet", type=int, default=256, help="samples per run with U-Net members")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} torch thread(s), torch {torch.__version__}")
    setup = image_setup("cpu")
    cases = {}
    if args.case in ("all", "gaussian"):
        cases["Gaussian experts, d = 8, N = 4096, 1000 steps"] = ([GaussianExpert(torch.zeros(8), a) for a in (0.25, 4.)], (8,), 4096, 1000, False)
    if args.case in ("all", "unet"):
        cases[f"cpu-preset DDPM++ (260k parameters), 8x8, N = {args.n_unet}, 100 steps"] = (
            [build_score_model(setup["net"]).eval() for _ in range(2)], (1, 8, 8), args.n_unet, 100, True)
    for case, (members, shape, N, steps, learned) in cases.items():
        times = time_samplers(members, shape, N, steps, args.repeats, learned)
        base = times["naive mean (euler_maruyama)"]
        print(f"\n{case}, K = {len(members)}\n| sampler | ms per sample | / naive mean |\n|---|---|---|")
        for name, s in times.items(): print(f"| {name} | {1e3 * s:.3f} | {s / base:.2f} |")


if __name__ == "__main__":
    main()
