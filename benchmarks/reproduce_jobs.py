"""Wall time of `ensdiff reproduce` with several notebooks at once against one at a time, side by side in one run.

Each setting runs the same experiments at the same preset into a fresh runs folder (the sample and feature caches are
shared, so run it on a warm cache: what it measures is the notebooks' own computation, not sampling already done),
and reports wall time and the CPU time of the kernels.

    python benchmarks/reproduce_jobs.py --preset cpu --only theory-poe training-length trajectory-rules mc-dropout --jobs 2 1
"""
import argparse, os, platform, resource, subprocess, sys, tempfile, time
from pathlib import Path

ENSDIFF = str(Path(sys.executable).parent / "ensdiff")


def timed_reproduce(preset, only, jobs):
    "Wall seconds, the children's CPU seconds and the exit status of one `ensdiff reproduce` into a fresh runs folder."
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as runs:
        done = subprocess.run([ENSDIFF, "reproduce", "--preset", preset, "--only", *only, "--jobs", str(jobs), "--runs-dir", runs, "-q"],
                              capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode, done.stdout.strip().splitlines()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="cpu")
    parser.add_argument("--only", nargs="+", required=True, metavar="NAME")
    parser.add_argument("--jobs", nargs="+", type=int, default=[2, 1], help="settings, timed in this order")
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}; "
          f"preset {args.preset}; {' '.join(args.only)}", flush=True)
    rows = []
    for jobs in args.jobs:
        wall, cpu, rc, lines = timed_reproduce(args.preset, args.only, jobs)
        print(f"--jobs {jobs}: {wall:.0f} s wall, {cpu:.0f} s CPU, exit {rc}", *lines, sep="\n  ", flush=True)
        rows.append((jobs, wall, cpu, rc))
    base = dict((j, w) for j, w, _, _ in rows).get(1)
    print("\n| --jobs | wall (s) | CPU of the kernels (s) | cores busy on average | wall / wall at --jobs 1 | exit |\n|---|---|---|---|---|---|")
    for jobs, wall, cpu, rc in rows:
        ratio = f"{wall / base:.2f}" if base else "-"
        print(f"| {jobs} | {wall:.0f} | {cpu:.0f} | {cpu / wall:.2f} | {ratio} | {rc} |")


if __name__ == "__main__":
    main()
