"""Times SciPy's linear_sum_assignment and LAPJV (the `lap` package) on the
matrices of benches/assignment.rs, generated here bit for bit by the same
seeded SplitMix64 generator, so that the ratios can go into BENCHMARKS.md.

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

GOLDEN = 0x9E3779B97F4A7C15
MASK = (1 << 64) - 1


class SplitMix64:
    """SplitMix64 (Steele, Lea and Flood 2014), as in benches/assignment.rs."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + GOLDEN) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return self.next() % n

    def block(self, count):
        """The next `count` outputs at once (numpy, wrapping arithmetic)."""
        with np.errstate(over="ignore"):
            steps = np.arange(1, count + 1, dtype=np.uint64)
            z = np.uint64(self.state) + steps * np.uint64(GOLDEN)
            self.state = (self.state + count * GOLDEN) & MASK
            z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
            z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
            return z ^ (z >> np.uint64(31))


def uniform(n, seed, high):
    """n × n integers in [0, high), row by row."""
    rng = SplitMix64(seed)
    return (rng.block(n * n) % np.uint64(high)).astype(np.float64).reshape(n, n)


def sparse_vectors(rng, count):
    vectors = np.zeros((count, 32))
    for row in vectors:
        for _ in range(2 + rng.below(4)):
            dim = rng.below(32)
            row[dim] = 1 + rng.below(5)
    return vectors


def mentor_like(n, seed):
    """1 - cosine similarity of sparse 32-dimensional answer vectors (many ties)."""
    rng = SplitMix64(seed)
    mentees = sparse_vectors(rng, n)
    mentors = sparse_vectors(rng, n)
    dots = mentees @ mentors.T  # small integers: exact in any summation order
    norms_a = np.sqrt((mentees * mentees).sum(axis=1))
    norms_b = np.sqrt((mentors * mentors).sum(axis=1))
    return 1.0 - dots / (norms_a[:, None] * norms_b[None, :])


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
