"""Time of one ensemble sampling step (score of K members + one Euler-Maruyama update), loop versus vmap backend.

    python benchmarks/ensemble_step.py [--device cuda] [--batch 64] [--size 16] [--repeats 10] [--net small|cifar]

For K = 1, 2, 5, 8 small DDPM++ members, both backends are timed side by side in one run (interleaved, median of
`--repeats` after warm-up), and each is reported as a ratio to K times the single-model step of the same run.
Prints a markdown table and the machine; results go to benchmarks/README.md by hand.
"""
import argparse, json, platform, statistics, time

import torch

from ensdiff.ensemble import Ensemble
from ensdiff.nets import DDPMpp, ScoreModel
from ensdiff.samplers import _em_step
from ensdiff.sde import VPSDE


def sync(device):
    if device.startswith("cuda"): torch.cuda.synchronize()


def step_time(model, sde, x, t, device, repeats):
    "Median wall-clock of one step: the score, then one Euler-Maruyama update."
    times = []
    with torch.no_grad():
        for i in range(repeats + 2):
            sync(device); start = time.perf_counter()
            _em_step(sde, x, t, model(x, t), 1e-3, torch.randn_like(x))
            sync(device)
            if i >= 2: times.append(time.perf_counter() - start)  # two warm-up steps
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="cpu")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--size", type=int, default=16)
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--ks", default="1,2,5,8")
    p.add_argument("--net", default="small", choices=["small", "cifar"], help="DDPMpp.small(size) or the CIFAR-10 DDPM++ (61.8M, 3x32x32)")
    args = p.parse_args()
    torch.manual_seed(0)
    sde, dev = VPSDE(), args.device
    ks = [int(k) for k in args.ks.split(",")]
    make = (lambda: DDPMpp(init_scale=1.)) if args.net == "cifar" else (lambda: DDPMpp.small(image_size=args.size, init_scale=1.))
    members = [ScoreModel(make()).to(dev).eval() for _ in range(max(ks))]
    shape = (3, 32, 32) if args.net == "cifar" else (1, args.size, args.size)
    x = torch.randn(args.batch, *shape, device=dev)
    t = torch.full((args.batch,), 0.5, device=dev)
    single_before = step_time(members[0], sde, x, t, dev, args.repeats)
    timed = {K: [step_time(Ensemble(members[:K], backend=b), sde, x, t, dev, args.repeats) for b in ("loop", "vmap")] for K in ks}
    single = min(single_before, step_time(members[0], sde, x, t, dev, args.repeats))  # timed before and after: the faster
    rows = [dict(K=K, loop_ms=1e3 * lp, vmap_ms=1e3 * vm, loop_ratio=lp / (K * single), vmap_ratio=vm / (K * single),
                 vmap_over_loop=vm / lp) for K, (lp, vm) in timed.items()]
    name = torch.cuda.get_device_name() if dev.startswith("cuda") else f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"
    print(f"device: {dev} ({name}); torch {torch.__version__}; {'DDPMpp (CIFAR-10)' if args.net == 'cifar' else f'DDPMpp.small({args.size})'} "
          f"{sum(p.numel() for p in members[0].parameters()):,} params; batch {args.batch}; single-model step {1e3 * single:.2f} ms\n")
    print("| K | loop (ms) | vmap (ms) | loop / (K x single) | vmap / (K x single) | vmap / loop |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['K']} | {r['loop_ms']:.1f} | {r['vmap_ms']:.1f} | {r['loop_ratio']:.2f} | {r['vmap_ratio']:.2f} | {r['vmap_over_loop']:.2f} |")
    print("\n" + json.dumps(dict(device=dev, name=name, single_ms=1e3 * single, rows=rows)))


if __name__ == "__main__":
    main()
