"""How far the fast path moves the samples: the same ensemble and the same noise, float32 against `Ensemble(fast=...)`.

    python benchmarks/fast_path_samples.py [--preset cpu] [--K 5] [--n 500] [--fast bf16] [--device cpu]

Members: the main recipe of the image experiments at `--preset` (digits at cpu), from the model store (trained there
first if missing). Both sample sets start from the same noise and use the same Euler-Maruyama noise (the
experiments' sampler, one generator per sample, no cache). Reported: quantiles of the per-pixel absolute difference
(images in [-1, 1]), the share of samples whose classifier label changes, and FID[classifier-<dataset>] of each set
against held-out data and between the two sets, with bootstrap standard errors. On a CPU without native bfloat16
this is slow (the bf16 step costs about 19 float32 steps); on a GPU it takes seconds.
"""
import argparse, copy, platform, time

import torch

from ensdiff.ensemble import Ensemble
from ensdiff.experiments import (classifier_features, image_data, image_setup, recipe, register_features, sample_images,
                                 train_members)
from ensdiff.stats import PairedBootstrap, frechet_distance


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--preset", default="cpu")
    p.add_argument("--K", type=int, default=5)
    p.add_argument("--n", type=int, default=500)
    p.add_argument("--fast", default="bf16", choices=["bf16", "compile"])
    p.add_argument("--device", default="cpu")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    setup = image_setup(args.preset)
    data = image_data(setup["dataset"])
    members = train_members(recipe(setup), range(args.K), data=data, device=args.device)
    features = register_features(setup)
    shape = tuple(data["test"].shape[1:])
    sets, seconds = {}, {}
    for name, fast in (("float32", False), (args.fast, args.fast)):
        ens = Ensemble(copy.deepcopy(members) if fast else members, fast=fast)  # the fast path converts its members to channels-last
        start = time.perf_counter()
        sets[name] = sample_images(ens, args.n, shape, setup["sampler"], seed=args.seed, device=args.device, desc=name)
        seconds[name] = time.perf_counter() - start
    a, b = sets["float32"], sets[args.fast]
    diff = (a - b).abs().flatten()
    q = torch.quantile(diff[torch.randperm(len(diff))[:1_000_000]], torch.tensor([0.5, 0.9, 0.99]))
    fa, fb = classifier_features(a, features), classifier_features(b, features)
    label_change = float((fa.argmax(1) != fb.argmax(1)).double().mean()) if fa.shape[1] > 1 else float("nan")
    ref = data["test"][:max(args.n, 1000)]
    boot = PairedBootstrap({k: classifier_features(v, features) for k, v in sets.items()}, classifier_features(ref, features))
    device = torch.cuda.get_device_name() if args.device.startswith("cuda") else f"{platform.processor() or platform.machine()}, {torch.get_num_threads()} threads"
    print(f"device: {args.device} ({device}); torch {torch.__version__}; {setup['dataset']} main recipe, K = {args.K}, {args.n} samples, "
          f"{setup['sampler']}; sampling time float32 {seconds['float32']:.1f} s, {args.fast} {seconds[args.fast]:.1f} s\n")
    print(f"per-pixel |float32 - {args.fast}| (images in [-1, 1]): median {q[0]:.2e}, 90% {q[1]:.2e}, 99% {q[2]:.2e}, max {diff.max():.2e}")
    print(f"mean |difference| per sample: {(a - b).abs().flatten(1).mean(1).mean():.2e}; samples whose classifier feature argmax changes: {label_change:.3f}")
    for k in sets: print(f"FID[{features}] {k} vs held-out: {boot.values['fid'][k]:.2f} ± {boot.se(k):.2f}")
    print(f"FID[{features}] {args.fast} - float32 (paired): {boot.diff(args.fast, 'float32').text()}")
    print(f"FID[{features}] float32 vs {args.fast} (the two sample sets): {frechet_distance(fa.numpy(), fb.numpy()):.3f}")


if __name__ == "__main__":
    main()
