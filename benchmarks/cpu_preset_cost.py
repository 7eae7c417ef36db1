"""What one sampling evaluation costs at the cpu preset, and what the image experiments cost with it.

One evaluation = one score call on a batch of 1,000 8x8 images, eval mode, no gradient. Candidate DDPM++ widths are
timed side by side in one run (median of `--repeats` calls after one warm-up), and the budget of the image experiments
(`ensdiff reproduce --preset cpu`) is projected from the number of sample sets they draw.

    python benchmarks/cpu_preset_cost.py --threads 1
"""
import argparse, platform, statistics, time

import torch

from ensdiff.experiments import image_setup
from ensdiff.nets import DDPMpp, ScoreModel

CANDIDATES = {  # name: DDPM++ keyword arguments (8x8, one channel, two resolutions, attention at 4x4)
    "nf=32, 2 blocks (train.CPU_PRESETS['digits'])": dict(nf=32, num_res_blocks=2),
    "nf=24, 2 blocks": dict(nf=24, num_res_blocks=2),
    "nf=16, 2 blocks (experiments cpu preset)": dict(nf=16, num_res_blocks=2),
    "nf=16, 1 block": dict(nf=16, num_res_blocks=1),
}
SAMPLE_SETS = 139  # sets of n_samples drawn by the nine image notebooks at the cpu preset (counted from their cells)


def time_call(model, x, t, repeats):
    "Median seconds of `model(x, t)` over `repeats` calls after a warm-up."
    with torch.no_grad():
        model(x, t)
        times = []
        for _ in range(repeats):
            start = time.perf_counter(); model(x, t); times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=torch.get_num_threads(), help="torch threads")
    parser.add_argument("--repeats", type=int, default=5, help="timed calls per network")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    setup = image_setup("cpu")
    x, t = torch.randn(1000, 1, 8, 8), torch.full((1000,), 0.5)
    print(f"{platform.processor() or platform.machine()}, {args.threads} torch thread(s), torch {torch.__version__}")
    print(f"{'network':48s} {'parameters':>11s} {'s / 1000 imgs':>14s} {'one set (h)':>12s} {'all sets (h)':>13s}")
    for name, kw in CANDIDATES.items():
        torch.manual_seed(0)
        model = ScoreModel(DDPMpp(image_size=8, channels=1, ch_mult=(1, 2), attn_resolutions=(4,), **kw)).eval()
        sec = time_call(model, x, t, args.repeats)
        one_set = sec * setup["n_samples"] / 1000 * setup["sampler"]["steps"] / 3600  # one member's samples
        print(f"{name:48s} {sum(p.numel() for p in model.parameters()):>11,} {sec:>14.3f} {one_set:>12.3f} {one_set * SAMPLE_SETS:>13.1f}")


if __name__ == "__main__":
    main()
