"""Times SciPy's linear_sum_assignment and LAPJV (the `lap` package) on the
matrices of benches/assignment.rs, generated bit for bit the same by
matrices.py, so that the ratios can go into BENCHMARKS.md.

    python3 -m venv venv && venv/bin/pip install numpy scipy lap
    venv/bin/python benches/compare/lap.py [n ...]

Prints one line per matrix and solver: kind, n, solver, optimum, best seconds.

With `--ours`, the same run also times this crate's solvers on the same
matrices, through the `solve_matrix` example (build it first with
`cargo build --release --example solve_matrix`; its `solve_seconds` excludes
reading the file), and prints the ratios, so that every ratio in
BENCHMARKS.md comes from one run on one machine:

    venv/bin/python benches/compare/lap.py --ours 1000 2000 4000

`--write DIR` keeps the matrices as CSV files.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from matrices import mentor_like, uniform

KINDS = {
    "uniform": lambda n: uniform(n, 1, 1_000_000),
    "uniform-1000": lambda n: uniform(n, 1, 1000),
    "mentor-like": lambda n: mentor_like(n, 1),
}


def best_of(runs, solve):
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = solve()
        times.append(time.perf_counter() - start)
    return result, min(times)


SOLVE_MATRIX = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "target", "release", "examples", "solve_matrix"
)


def ours(path, solver, runs):
    """Best solve time and optimum of this crate's solver on a CSV matrix."""
    best = None
    for _ in range(runs):
        out = subprocess.run([SOLVE_MATRIX, path, "--solver", solver], check=True, capture_output=True, text=True)
        result = json.loads(out.stdout)
        if best is None or result["solve_seconds"] < best[1]:
            best = (result["total"], result["solve_seconds"])
    return best


def main():
    from scipy.optimize import linear_sum_assignment

    # This file is called lap.py too: import the package, not this script.
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    import lap

    args = sys.argv[1:]
    compare = "--ours" in args
    if compare:
        args.remove("--ours")
    write = None
    if "--write" in args:
        at = args.index("--write")
        write = args[at + 1]
        del args[at : at + 2]
    sizes = [int(a) for a in args] or [1000, 2000, 4000]
    for kind, make in KINDS.items():
        for n in sizes:
            costs = make(n)
            folder = write or tempfile.mkdtemp()
            path = f"{folder}/{kind}-{n}.csv"
            if write or compare:
                np.savetxt(path, costs, delimiter=",", fmt="%.17g")
            runs = 3 if n <= 2000 else 2
            times = {}
            (rows, cols), times["scipy"] = best_of(runs, lambda: linear_sum_assignment(costs))
            print(f"{kind} {n} scipy {costs[rows, cols].sum():.17g} {times['scipy']:.3f}", flush=True)
            (total, _, _), times["lap"] = best_of(runs, lambda: lap.lapjv(costs))
            print(f"{kind} {n} lap {total:.17g} {times['lap']:.3f}", flush=True)
            if compare:
                for solver in ["jv", "hungarian"]:
                    total, times[solver] = ours(path, solver, runs)
                    print(f"{kind} {n} {solver} {total:.17g} {times[solver]:.3f}", flush=True)
                ratios = ", ".join(
                    f"{other}/jv {times[other] / times['jv']:.2f}" for other in ["hungarian", "scipy", "lap"]
                )
                print(f"{kind} {n} ratios {ratios}", flush=True)
            if not write and compare:
                os.remove(path)


if __name__ == "__main__":
    main()
