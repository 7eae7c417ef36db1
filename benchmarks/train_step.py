"""Training step time per member: K members trained one after another (loop) versus batched with vmap.

    python benchmarks/train_step.py [--device cuda] [--batch 64] [--repeats 5] [--net mnist16|cifar] [--amp]

Small DDPM++ (`CPU_PRESETS['mnist16']` network, 1.75M parameters) on MNIST-5k at 16x16, batch 64 per member, K = 1, 2, 5;
or, with `--net cifar`, the paper's DDPM++ at its CIFAR-10 configuration (61.8M parameters) on random 3x32x32 images
(timing only: no dataset is needed or downloaded); `--amp` trains under bfloat16 autocast (CUDA).
Both backends of `ensdiff.train.Trainer` are timed in the same run (median of `--repeats` steps after 2 warm-up
steps); the table gives the time per member-step and the ratio batched / loop. Results go to benchmarks/README.md.
"""
import argparse, json, platform, statistics, time

import torch

from ensdiff.train import CPU_PRESETS, Trainer, load_images


def step_time(trainer, device, repeats):
    times = []
    for i in range(repeats + 2):
        if device.startswith("cuda"): torch.cuda.synchronize()
        start = time.perf_counter()
        trainer.train_step()
        if device.startswith("cuda"): torch.cuda.synchronize()
        if i >= 2: times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--device", default="cpu")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--ks", default="1,2,5")
    p.add_argument("--net", default="mnist16", choices=["mnist16", "cifar"])
    p.add_argument("--amp", action="store_true")
    args = p.parse_args()
    if args.net == "cifar":  # score_sde's DDPM++ continuous for CIFAR-10 (the `DDPMpp` defaults)
        data, net = torch.rand(4096, 3, 32, 32, generator=torch.Generator().manual_seed(0)) * 2 - 1, dict(kind="DDPMpp")
    else:
        data, net = load_images("mnist16"), CPU_PRESETS["mnist16"]["net"]
    rows = []
    for K in [int(k) for k in args.ks.split(",")]:
        seeds = list(range(K))
        backends = ("loop",) if args.amp else ("loop", "vmap")  # the trainer refuses amp with vmap
        t = {b: step_time(Trainer(net, data, seeds=seeds, batch_size=args.batch, device=args.device, backend=b, amp=args.amp), args.device, args.repeats)
             for b in backends}
        t_vmap = t.get("vmap", float("nan"))
        rows.append(dict(K=K, loop_ms_per_member=1e3 * t["loop"] / K, vmap_ms_per_member=1e3 * t_vmap / K, vmap_over_loop=t_vmap / t["loop"]))
    name = torch.cuda.get_device_name() if args.device.startswith("cuda") else f"{platform.machine()}, {torch.get_num_threads()} threads"
    print(f"device: {args.device} ({name}); torch {torch.__version__}; net {args.net}; batch {args.batch} per member; amp {args.amp}\n")
    print("| K | loop (ms / member-step) | vmap (ms / member-step) | vmap / loop |")
    print("|---|---|---|---|")
    for r in rows: print(f"| {r['K']} | {r['loop_ms_per_member']:.0f} | {r['vmap_ms_per_member']:.0f} | {r['vmap_over_loop']:.2f} |")
    print("\n" + json.dumps(dict(device=args.device, name=name, net=args.net, batch=args.batch, amp=args.amp, rows=rows)))


if __name__ == "__main__":
    main()
