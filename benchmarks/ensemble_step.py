"""Time of one ensemble sampling step (score of K members + one Euler-Maruyama update): loop and vmap backends, and the fast paths.

    python benchmarks/ensemble_step.py [--device cuda] [--batch 64] [--size 16] [--repeats 10] [--net small|cifar] [--paths loop,vmap,bf16,compile]

For each K (default 1, 2, 5, 8) every path is timed side by side in one run (median of `--repeats` after warm-up):
`loop` and `vmap` (float32 backends), `bf16` (`Ensemble(fast='bf16')`: bfloat16 autocast, channels-last) and `compile`
(`fast='compile'`: also torch.compile, CUDA graphs on CUDA). The fast paths get their own copies of the members (they
convert them to channels-last). Each time is reported as a ratio to K times the single-model float32 step of the same
run and to the float32 loop. Prints a markdown table and the machine; results go to benchmarks/README.md by hand.
"""
import argparse, copy, json, platform, statistics, time

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
    p.add_argument("--paths", default="loop,vmap", help="comma-separated: loop, vmap, bf16, compile")
    args = p.parse_args()
    torch.manual_seed(0)
    sde, dev = VPSDE(), args.device
    ks = [int(k) for k in args.ks.split(",")]
    make = (lambda: DDPMpp(init_scale=1.)) if args.net == "cifar" else (lambda: DDPMpp.small(image_size=args.size, init_scale=1.))
    members = [ScoreModel(make()).to(dev).eval() for _ in range(max(ks))]
    shape = (3, 32, 32) if args.net == "cifar" else (1, args.size, args.size)
    x = torch.randn(args.batch, *shape, device=dev)
    t = torch.full((args.batch,), 0.5, device=dev)
    paths = args.paths.split(",")
    options = dict(loop=dict(backend="loop"), vmap=dict(backend="vmap"), bf16=dict(fast="bf16"), compile=dict(fast="compile"))
    if not set(paths) <= set(options) or "loop" not in paths: raise SystemExit(f"--paths: 'loop' and any of {list(options)}, got {args.paths!r}")
    fast_members = {p: [copy.deepcopy(m) for m in members] for p in paths if "fast" in options[p]}  # channels-last copies
    single_before = step_time(members[0], sde, x, t, dev, args.repeats)
    timed = {K: {p: step_time(Ensemble(fast_members.get(p, members)[:K], **options[p]), sde, x, t, dev, args.repeats) for p in paths} for K in ks}
    single = min(single_before, step_time(members[0], sde, x, t, dev, args.repeats))  # timed before and after: the faster
    rows = [dict(K=K, **{f"{p}_ms": 1e3 * s for p, s in times.items()}, **{f"{p}_ratio": s / (K * single) for p, s in times.items()},
                 **{f"{p}_over_loop": s / times["loop"] for p, s in times.items() if p != "loop"}) for K, times in timed.items()]
    name = torch.cuda.get_device_name() if dev.startswith("cuda") else f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"
    print(f"device: {dev} ({name}); torch {torch.__version__}; {'DDPMpp (CIFAR-10)' if args.net == 'cifar' else f'DDPMpp.small({args.size})'} "
          f"{sum(p.numel() for p in members[0].parameters()):,} params; batch {args.batch}; single-model step {1e3 * single:.2f} ms\n")
    others = [p for p in paths if p != "loop"]
    print("| K | " + " | ".join(f"{p} (ms)" for p in paths) + " | " + " | ".join(f"{p} / (K x single)" for p in paths) + " | "
          + " | ".join(f"{p} / loop" for p in others) + " |")
    print("|---|" + "---|" * (2 * len(paths) + len(others)))
    for r in rows:
        print(f"| {r['K']} | " + " | ".join(f"{r[p + '_ms']:.1f}" for p in paths) + " | " + " | ".join(f"{r[p + '_ratio']:.2f}" for p in paths)
              + " | " + " | ".join(f"{r[p + '_over_loop']:.2f}" for p in others) + " |")
    print("\n" + json.dumps(dict(device=dev, name=name, single_ms=1e3 * single, rows=rows)))


if __name__ == "__main__":
    main()
