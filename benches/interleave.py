#!/usr/bin/env python3
"""Compares builds of `dlg` on one program by interleaved runs.

    python3 benches/interleave.py benches/programs/loop.dg OLD_DLG NEW_DLG [...] [--runs N]

Runs `BINARY run PROGRAM` for each binary in turn, N times round (40 by default), so that a
change in the machine's load falls on every binary alike, and prints for each the median and
first quartile of its user time and the median and least of its wall time. Use it beside
callgrind's instruction counts: a change that saves instructions can still run slower (an
indirect call whose target the data picks, more page faults), and only the clock shows it.
"""

import argparse
import resource
import statistics
import subprocess
import time


def one_run(binary: str, program: str) -> tuple[float, float]:
    """User time and wall time of one run, in milliseconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([binary, "run", program], stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) * 1000, wall * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program")
    parser.add_argument("binaries", nargs="+")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    user = {binary: [] for binary in args.binaries}
    wall = {binary: [] for binary in args.binaries}
    for _ in range(args.runs):
        for binary in args.binaries:
            u, w = one_run(binary, args.program)
            user[binary].append(u)
            wall[binary].append(w)
    width = max(len(binary) for binary in args.binaries)
    for binary in args.binaries:
        u, w = sorted(user[binary]), sorted(wall[binary])
        print(
            f"{binary:{width}}  user median {statistics.median(u):6.1f} ms"
            f"  p25 {u[len(u) // 4]:6.1f}"
            f"  wall median {statistics.median(w):6.1f} ms  min {w[0]:6.1f}"
        )


if __name__ == "__main__":
    main()
