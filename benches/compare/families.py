"""Side-by-side solve times of this crate's dense solver, SciPy's
linear_sum_assignment, Algorithm 1015 and kuhn_munkres on the same matrices.

Each matrix of matrices.py is generated once, written to a binary file
(two little-endian u64 for rows and columns, then the float64 entries row by
row), and handed to every solver; each solver is timed on the solve alone
(no reading, no copying), in rounds that alternate the solvers, and the best
round of each is kept. Every solver's optimum is checked against SciPy's.

    python3 -m venv venv && venv/bin/pip install numpy scipy
    cargo build --release --example solve_binary
    venv/bin/python benches/compare/families.py [--rounds 2] [--threads 2] \
        [--a1015 DRIVER] [--hungarian-up-to N] FAMILY:N[,N...] ...

for example `machol-wien:1000,2000,3000 mentor-like:4000,8000`.

Our side runs `target/release/examples/solve_binary FILE --threads T`, in a
rayon pool of T threads (default 2).

Algorithm 1015 (S. Guthe and D. Thuerck, "Algorithm 1015: A fast scalable
solver for the dense linear (sum) assignment problem", ACM TOMS 47(2), 2021;
source in the public repository sguthe/lap-solver) is not part of this crate
and nothing of it is kept here. To compare with it, build a driver of your own
outside this repository: a C++ program that reads the binary file above, wraps
the entries in `lap::omp::TableCost<double>` with a `lap::omp::Worksharing` of
the column count and a `lap::omp::DirectIterator`, times
`lap::omp::solve<double>(n, m, costs, iterator, rowsol, true)` (epsilon scaling
on, as its authors advise) with `std::chrono::steady_clock`, and prints the
total of the chosen entries and the best time of its runs:

    DRIVER FILE THREADS RUNS   ->   "<total> <seconds>"

with THREADS = 0 meaning the library's serial `lap::solve` (with
`lap::TableCost` and `lap::DirectIterator`), which `--serial` also times.

compiled with `g++ -O3 -march=native -fopenmp -std=c++17` and the defines of
the library's own test program (LAP_OPENMP, LAP_QUIET, LAP_MINIMIZE_V). Pass
its path with `--a1015`; it runs on `--threads` OpenMP threads.

`--serial` also times ours on one thread (`jv-serial`).
`--hungarian-up-to N` also times Solver::Hungarian (pathfinding's
kuhn_munkres, the crate's reference) up to size N (default 2000).

Prints one line per matrix and solver (family, n, solver, optimum, best
seconds), then the ratios other / ours.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from matrices import FAMILIES, write_binary

HERE = os.path.dirname(os.path.abspath(__file__))
SOLVE_BINARY = os.path.join(HERE, "..", "..", "target", "release", "examples", "solve_binary")


def ours(path, solver, threads):
    out = subprocess.run(
        [SOLVE_BINARY, path, "--solver", solver, "--threads", str(threads)],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(out.stdout)
    return result["total"], result["solve_seconds"][0]


def a1015(driver, path, threads, timeout):
    """Its OpenMP threads spin at every barrier: on a busy machine a run can
    take a hundred times longer, so a run is given up after `timeout` seconds."""
    try:
        out = subprocess.run(
            [driver, path, str(threads), "1"], check=True, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return float("nan"), float("inf")
    total, seconds = out.stdout.split()
    return float(total), float(seconds)


def scipy(costs):
    from scipy.optimize import linear_sum_assignment

    start = time.perf_counter()
    rows, cols = linear_sum_assignment(costs)
    seconds = time.perf_counter() - start
    return float(costs[rows, cols].sum()), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("matrices", nargs="+", help="FAMILY:N[,N...]")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--a1015", help="path of an Algorithm 1015 driver (see above)")
    parser.add_argument("--a1015-timeout", type=float, default=600, help="seconds before a run is given up")
    parser.add_argument("--hungarian-up-to", type=int, default=2000)
    parser.add_argument("--no-scipy", action="store_true")
    parser.add_argument(
        "--serial", action="store_true", help="also time ours on 1 thread and Algorithm 1015's serial solver"
    )
    args = parser.parse_args()

    folder = tempfile.mkdtemp()
    for spec in args.matrices:
        family, sizes = spec.split(":")
        for n in (int(s) for s in sizes.split(",")):
            costs = FAMILIES[family](n)
            path = os.path.join(folder, f"{family}-{n}.bin")
            write_binary(path, costs)
            solvers = {"jv": lambda: ours(path, "jv", args.threads)}
            if args.serial:
                solvers["jv-serial"] = lambda: ours(path, "jv", 1)
            if not args.no_scipy:
                solvers["scipy"] = lambda: scipy(costs)
            if args.a1015:
                solvers["a1015"] = lambda: a1015(args.a1015, path, args.threads, args.a1015_timeout)
                if args.serial:
                    solvers["a1015-serial"] = lambda: a1015(args.a1015, path, 0, args.a1015_timeout)
            if n <= args.hungarian_up_to:
                solvers["kuhn_munkres"] = lambda: ours(path, "hungarian", args.threads)
            best = {}
            totals = {}
            for _ in range(args.rounds):
                for name, solve in solvers.items():
                    total, seconds = solve()
                    if total == total:  # not a run given up
                        totals[name] = total
                    best[name] = min(seconds, best.get(name, float("inf")))
            reference = totals.get("scipy", totals["jv"])
            for name in solvers:
                totals.setdefault(name, float("nan"))
                same = abs(totals[name] - reference) <= 1e-9 * max(1.0, abs(reference))
                flag = "" if same else "  DIFFERENT OPTIMUM"
                print(f"{family} {n} {name} {totals[name]:.17g} {best[name]:.4f}{flag}", flush=True)
            ratios = ", ".join(f"{name}/jv {best[name] / best['jv']:.2f}" for name in solvers if name != "jv")
            print(f"{family} {n} ratios {ratios}", flush=True)
            os.remove(path)


if __name__ == "__main__":
    sys.path.insert(0, HERE)
    main()
