"""Cost of the value checks of `ScoreModel` and `Ensemble` (x finite, t in range, members' outputs finite): one
Euler-Maruyama step with `check_values=True` against `False`, side by side in one run.

    python benchmarks/value_checks.py [--device cuda] [--batch 500] [--K 5] [--repeats 20]

Each check reads a value back from the device (a sync); on a CPU that costs a reduction over the batch, on a GPU it
also stalls the stream at every sampling step. Prints a markdown table and the machine; results go to
benchmarks/README.md by hand.
"""
import argparse, platform, statistics, time

import torch

from ensdiff.ensemble import Ensemble
from ensdiff.experiments import IMAGE_PRESETS
from ensdiff.train import build_net
from ensdiff.nets import ScoreModel
from ensdiff.sde import VPSDE


def step_times(models, x, t, device, repeats):
    "Median wall-clock of one Euler-Maruyama step (score and update) of each model, the models interleaved step by step (a load on the machine hits both alike), after two warm-up rounds."
    sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
    sde, times = VPSDE(), [[] for _ in models]
    with torch.no_grad():
        for i in range(repeats + 2):
            for k, model in enumerate(models):
                sync(); start = time.perf_counter()
                score = model(x, t)
                drift, diffusion = sde.sde(x, t)
                _ = x - (drift - diffusion[:, None, None, None] ** 2 * score) * 1e-2 + diffusion[:, None, None, None] * 0.1 * torch.randn_like(x)
                sync()
                if i >= 2: times[k].append(time.perf_counter() - start)
    return [statistics.median(ts) for ts in times]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="cpu"); p.add_argument("--batch", type=int, default=500)
    p.add_argument("--K", type=int, default=5); p.add_argument("--repeats", type=int, default=20)
    a = p.parse_args()
    net_config = IMAGE_PRESETS["cpu"]["digits"]["net"]  # the experiments' nf=16 DDPM++ on 8x8 digits
    torch.manual_seed(0)
    nets = [build_net(net_config).to(a.device).eval() for _ in range(a.K)]
    x, t = torch.randn(a.batch, 1, 8, 8, device=a.device), torch.full((a.batch,), 0.5, device=a.device)
    rows = []
    for name, make in (("one member", lambda on: ScoreModel(nets[0], check_values=on)),
                       (f"mean of K = {a.K}", lambda on: Ensemble([ScoreModel(n, check_values=on) for n in nets], check_values=on))):
        on, off = step_times([make(True), make(False)], x, t, a.device, a.repeats)
        rows.append(f"| {name} | {a.batch} | {1e3 * on:.2f} | {1e3 * off:.2f} | {on / off:.3f} |")
    print(f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} torch thread(s), torch {torch.__version__}, device {a.device}")
    print("| model | batch | step, checks on (ms) | step, checks off (ms) | on / off |\n|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
