"""Training step time per member: K members trained one after another (loop) versus batched with vmap.

    python benchmarks/train_step.py [--device cuda] [--batch 64] [--repeats 5]

Small DDPM++ (`CPU_PRESETS['mnist16']` network, 1.75M parameters) on MNIST-5k at 16x16, batch 64 per member, K = 1, 2, 5.
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
    args = p.parse_args()
    data, net = load_images("mnist16"), CPU_PRESETS["mnist16"]["net"]
    rows = []
    for K in [int(k) for k in args.ks.split(",")]:
        seeds = list(range(K))
        t_loop, t_vmap = (step_time(Trainer(net, data, seeds=seeds, batch_size=args.batch, device=args.device, backend=b), args.device, args.repeats)
                          for b in ("loop", "vmap"))
        rows.append(dict(K=K, loop_ms_per_member=1e3 * t_loop / K, vmap_ms_per_member=1e3 * t_vmap / K, vmap_over_loop=t_vmap / t_loop))
    name = torch.cuda.get_device_name() if args.device.startswith("cuda") else f"{platform.machine()}, {torch.get_num_threads()} threads"
    print(f"device: {args.device} ({name}); torch {torch.__version__}; batch {args.batch} per member\n")
    print("| K | loop (ms / member-step) | vmap (ms / member-step) | vmap / loop |")
    print("|---|---|---|---|")
    for r in rows: print(f"| {r['K']} | {r['loop_ms_per_member']:.0f} | {r['vmap_ms_per_member']:.0f} | {r['vmap_over_loop']:.2f} |")
    print("\n" + json.dumps(dict(device=args.device, name=name, rows=rows)))


if __name__ == "__main__":
    main()
