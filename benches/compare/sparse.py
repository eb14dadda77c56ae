"""Times the crate's sparse solver against public solvers on the same
candidate graphs, in the same run, for BENCHMARKS.md ("Sparse solver").

Setup (by hand; not part of CI):

    python3 -m venv venv && venv/bin/pip install numpy scipy lap ortools
    apt-get install liblemon-dev
    g++ -O3 -DNDEBUG -o sparse_lemon benches/compare/sparse_lemon.cpp
    cargo build --release --example sparse_graph
    venv/bin/python benches/compare/sparse.py --lemon ./sparse_lemon \\
        --dir graphs --sizes 10000 50000 100000 --ks 16 64 --rounds 2

The graphs come from the `sparse_graph` example (`benches/support/candidates.rs`:
n mentees × n mentors, k candidates each at cost -round(score · 10⁹),
capacities 1–3, every mentee may stay unmatched at cost 0), written once into
`--dir` so that every solver reads the same file. Each solver runs in a child
process per graph and round (`--worker`), which reads the file and builds its
model untimed, then times the solve alone; rounds alternate the solvers' order.
A run over `--timeout` seconds is recorded as such. Every solver's optimum
must equal ours. `--unit-capacity` runs the same graphs with every mentor of
capacity 1, a tight market where many searches go deep.

How each solver sees the problem:

- `ours`: the crate's sparse rows, column capacities, unmatched cost
  (`sparse_graph solve`).
- `lemon-ns`, `lemon-cs` (LEMON 1.3.1 NetworkSimplex, CostScaling) and
  `ortools-mcf` (OR-Tools SimpleMinCostFlow): a min-cost flow with
  source -> row (capacity 1, cost 0), row -> each candidate column
  (capacity 1, its cost), row -> sink directly (capacity 1, the unmatched
  cost), column -> sink (the column's capacity, cost 0); the source supplies
  one unit per row and the sink takes them all.
- `scipy` (`min_weight_full_bipartite_matching`, which matches every row and
  takes no zero weights): column j becomes capacity(j) slot columns, each row
  gets a dummy column of its own at the unmatched cost (a row matched to it is
  unmatched), and every weight is shifted by +(10⁹ + 1), which adds the same
  amount to every full matching (subtracted again from the optimum).
- `lap` (`lap.lapmod`) and `ortools-lsa` (OR-Tools LinearSumAssignment), which
  need a square problem with a perfect matching: the rows and columns above,
  plus one filler row per slot, joined at cost 0 to its slot and to the dummy
  column of every row that has an arc to that slot. Any assignment of rows
  extends to a perfect matching at the same cost (a filler takes its slot when
  the slot is unused, else the dummy of the row using it), and every perfect
  matching gives back an assignment of the same cost. `lapmod` takes no
  negative cost, so the arcs of the mentee rows are shifted by +10⁹ (each such
  row is matched once: the shift is subtracted again from the optimum); nor
  costs of 10⁶ (`lap.LARGE`) or more, so it runs on costs divided by 10³ (a
  rescaled problem: its time is shown with `*`, its optimum not compared,
  and it is left out of the best public time).
"""

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

SOLVERS = ["ours", "lemon-ns", "lemon-cs", "ortools-mcf", "ortools-lsa", "scipy", "lap"]
PUBLIC = SOLVERS[1:]


def read_graph(path):
    """The graph file of `Graph::write` (benches/support/candidates.rs)."""
    with open(path, "rb") as f:
        data = f.read()
    rows, columns, entries = np.frombuffer(data, dtype="<u8", count=3)
    rows, columns, entries = int(rows), int(columns), int(entries)
    unmatched = int(np.frombuffer(data, dtype="<i8", count=1, offset=24)[0])
    at = 32
    capacity = np.frombuffer(data, dtype="<u4", count=columns, offset=at).astype(np.int64)
    at += 4 * columns
    starts = np.frombuffer(data, dtype="<u8", count=rows + 1, offset=at).astype(np.int64)
    at += 8 * (rows + 1)
    column = np.frombuffer(data, dtype="<u4", count=entries, offset=at).astype(np.int64)
    at += 4 * entries
    cost = np.frombuffer(data, dtype="<i8", count=entries, offset=at).astype(np.int64)
    return rows, columns, capacity, starts, column, cost, unmatched


def unit_capacity(path):
    """A copy of the graph file at `path` with every capacity 1; its path."""
    unit = os.path.join(os.path.dirname(path), "unit-" + os.path.basename(path))
    if not os.path.exists(unit):
        with open(path, "rb") as f:
            data = bytearray(f.read())
        columns = int(np.frombuffer(data, dtype="<u8", count=3)[1])
        data[32:32 + 4 * columns] = np.ones(columns, dtype="<u4").tobytes()
        with open(unit, "wb") as f:
            f.write(data)
    return unit


def flow_network(rows, columns, capacity, starts, column, cost, unmatched):
    """Arcs (tails, heads, capacities, costs) and supplies of the min-cost flow."""
    source, sink = rows + columns, rows + columns + 1
    row_of = np.repeat(np.arange(rows), np.diff(starts))
    r = np.arange(rows)
    c = np.arange(columns)
    tails = np.concatenate([np.full(rows, source), r, row_of, rows + c])
    heads = np.concatenate([r, np.full(rows, sink), rows + column, np.full(columns, sink)])
    caps = np.concatenate([np.ones(rows), np.ones(rows), np.ones(len(column)), capacity])
    costs = np.concatenate([np.zeros(rows), np.full(rows, unmatched), cost, np.zeros(columns)])
    supplies = np.zeros(rows + columns + 2, dtype=np.int64)
    supplies[source], supplies[sink] = rows, -rows
    return (tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64),
            costs.astype(np.int64), supplies)


def slot_arcs(rows, capacity, starts, column, cost):
    """Column j as capacity[j] slots: (row, slot, cost) of every row -> slot arc,
    by row then slot, and the number of slots."""
    first_slot = np.concatenate([[0], np.cumsum(capacity)])
    copies = capacity[column]
    entry = np.repeat(np.arange(len(column)), copies)
    # Position of each copy within its entry: 0, 1, ..., copies - 1.
    within = np.arange(len(entry)) - np.repeat(np.cumsum(copies) - copies, copies)
    row_of = np.repeat(np.arange(rows), np.diff(starts))
    return row_of[entry], first_slot[column[entry]] + within, cost[entry], int(first_slot[-1])


def square_arcs(rows, capacity, starts, column, cost, unmatched):
    """The square extension for lapmod and LinearSumAssignment: (lefts, rights,
    costs) sorted by left then right, and the size."""
    r, s, c, slots = slot_arcs(rows, capacity, starts, column, cost)
    size = rows + slots
    dummy = slots + np.arange(rows)
    # Filler rows/slot s: left node rows + s.
    order = np.lexsort((r, s))  # the transpose, by slot then row
    lefts = np.concatenate([r, np.arange(rows), rows + np.arange(slots), rows + s[order]])
    rights = np.concatenate([s, dummy, np.arange(slots), slots + r[order]])
    costs = np.concatenate([c, np.full(rows, unmatched), np.zeros(slots), np.zeros(len(r))])
    order = np.lexsort((rights, lefts))
    return lefts[order], rights[order], costs[order].astype(np.int64), size


def work(solver, path, args):
    """Solves one graph with one public solver; returns (optimum, seconds)."""
    rows, columns, capacity, starts, column, cost, unmatched = read_graph(path)
    if solver in ("lemon-ns", "lemon-cs"):
        method = {"lemon-ns": "network-simplex", "lemon-cs": "cost-scaling"}[solver]
        out = json.loads(subprocess.run([args.lemon, path, method], check=True,
                                        capture_output=True, text=True).stdout)
        return out["optimum"], out["solve_seconds"]
    if solver == "ortools-mcf":
        from ortools.graph.python import min_cost_flow
        tails, heads, caps, costs, supplies = flow_network(
            rows, columns, capacity, starts, column, cost, unmatched)
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        flow.set_nodes_supplies(np.arange(len(supplies)), supplies)
        start = time.perf_counter()
        status = flow.solve()
        seconds = time.perf_counter() - start
        assert status == flow.OPTIMAL, status
        return flow.optimal_cost(), seconds
    if solver == "scipy":
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import min_weight_full_bipartite_matching
        r, s, c, slots = slot_arcs(rows, capacity, starts, column, cost)
        shift = 10**9 + 1
        assert c.min() + shift > 0 and unmatched + shift > 0
        matrix = csr_matrix(
            (np.concatenate([c, np.full(rows, unmatched)]).astype(np.float64) + shift,
             (np.concatenate([r, np.arange(rows)]), np.concatenate([s, slots + np.arange(rows)]))),
            shape=(rows, slots + rows))
        start = time.perf_counter()
        row_ind, col_ind = min_weight_full_bipartite_matching(matrix)
        seconds = time.perf_counter() - start
        total = int(np.asarray(matrix[row_ind, col_ind]).astype(np.int64).sum())
        return total - shift * rows, seconds
    if solver == "lap":
        # Not benches/compare/lap.py, beside this script, but the package.
        here = os.path.dirname(os.path.abspath(__file__))
        sys.path = [p for p in sys.path if os.path.abspath(p or ".") != here]
        import lap
        lefts, rights, costs, size = square_arcs(rows, capacity, starts, column, cost, unmatched)
        # lapmod takes no negative cost: shift the rows of mentees, each of
        # which a perfect matching uses once (the fillers' arcs cost 0).
        shift = -min(int(cost.min()), unmatched, 0)
        costs = costs + np.where(lefts < rows, shift, 0)
        # Nor any cost of lap.LARGE (10⁶) or more: costs of 10⁹ are divided
        # by the smallest power of 10 that fits, so the problem is no longer
        # the same one and its optimum is not compared.
        divisor = 1
        while costs.max() // divisor >= lap.LARGE:
            divisor *= 10
        costs = costs // divisor
        ii = np.concatenate([[0], np.cumsum(np.bincount(lefts, minlength=size))])
        start = time.perf_counter()
        optimum = lap.lapmod(size, costs.astype(np.float64), ii.astype(np.int32),
                             rights.astype(np.int32), return_cost=True)[0]
        seconds = time.perf_counter() - start
        if divisor > 1:
            return None, seconds
        return int(round(optimum)) - shift * rows, seconds
    if solver == "ortools-lsa":
        from ortools.graph.python import linear_sum_assignment
        lefts, rights, costs, size = square_arcs(rows, capacity, starts, column, cost, unmatched)
        assignment = linear_sum_assignment.SimpleLinearSumAssignment()
        assignment.add_arcs_with_cost(lefts, rights, costs)
        start = time.perf_counter()
        status = assignment.solve()
        seconds = time.perf_counter() - start
        assert status == assignment.OPTIMAL, status
        return assignment.optimal_cost(), seconds
    raise ValueError(f"unknown solver {solver}")


def run(solver, path, args):
    """One timed run in a child process: (optimum, seconds), or (None, None) on
    a time-out, or (None, message) on a failure."""
    if solver == "ours":
        command = [args.ours, "solve", path]
    else:
        command = [sys.executable, __file__, "--worker", solver, path, "--lemon", args.lemon]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return None, None
    if done.returncode != 0:
        return None, done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    # An optimum of null: a solver that solved a rescaled problem (see `lap`).
    return out["optimum"] if out["optimum"] is not None else "rescaled", out["solve_seconds"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000, 100000])
    parser.add_argument("--ks", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--solvers", nargs="+", default=SOLVERS, choices=SOLVERS)
    parser.add_argument("--unit-capacity", action="store_true",
                        help="every mentor of capacity 1 (a tight market: as many places as mentees)")
    parser.add_argument("--dir", default="sparse-graphs", help="where the graph files go")
    parser.add_argument("--ours", default="target/release/examples/sparse_graph")
    parser.add_argument("--lemon", default="./sparse_lemon", help="the compiled LEMON driver")
    parser.add_argument("--worker", nargs=2, metavar=("SOLVER", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        optimum, seconds = work(args.worker[0], args.worker[1], args)
        optimum = None if optimum is None else int(optimum)
        print(json.dumps({"optimum": optimum, "solve_seconds": seconds}))
        return

    os.makedirs(args.dir, exist_ok=True)
    graphs = []
    for n in args.sizes:
        for k in args.ks:
            path = os.path.join(args.dir, f"candidates-{n}-{k}-{args.seed}.bin")
            if not os.path.exists(path):
                subprocess.run([args.ours, "write", str(n), str(k), str(args.seed), path],
                               check=True, capture_output=True)
            if args.unit_capacity:
                path = unit_capacity(path)
            graphs.append((n, k, path))

    best = {}  # (n, k, solver) -> best seconds, or None after a time-out
    optima = {}
    failed = {}  # (n, k, solver) -> "timed out" or "failed"
    rescaled = set()  # (n, k, solver) timed on a rescaled problem
    for round_ in range(args.rounds):
        for n, k, path in graphs:
            order = args.solvers if round_ % 2 == 0 else args.solvers[::-1]
            for solver in order:
                if (n, k, solver) in best and best[(n, k, solver)] is None:
                    continue  # timed out or failed once: not again
                optimum, seconds = run(solver, path, args)
                if optimum is None:
                    best[(n, k, solver)] = None
                    failed[(n, k, solver)] = "timed out" if seconds is None else "failed"
                    print(f"n={n} k={k} {solver}: "
                          f"{'timed out' if seconds is None else seconds}", flush=True)
                    continue
                if optimum == "rescaled":
                    rescaled.add((n, k, solver))
                else:
                    optima.setdefault((n, k), optimum)
                if optimum != "rescaled" and optimum != optima[(n, k)]:
                    sys.exit(f"n={n} k={k} {solver}: optimum {optimum}, "
                             f"expected {optima[(n, k)]}")
                previous = best.get((n, k, solver))
                best[(n, k, solver)] = seconds if previous is None else min(previous, seconds)
                print(f"round {round_ + 1} n={n} k={k} {solver}: {seconds:.3f} s "
                      f"(optimum {optimum})", flush=True)

    def cell(n, k, solver):
        seconds = best.get((n, k, solver))
        if seconds is not None:
            return f"{seconds:.3f}" + (" *" if (n, k, solver) in rescaled else "")
        return f"> {args.timeout:.0f}" if failed.get((n, k, solver)) == "timed out" else "failed"

    public = [s for s in args.solvers if s in PUBLIC]
    print()
    print("| n | k | " + " | ".join(f"{s} (s)" for s in args.solvers)
          + " | best public | best public / ours |")
    print("|---:|---:|" + "---:|" * len(args.solvers) + "---|---:|")
    for n, k, _ in graphs:
        times = {s: best.get((n, k, s)) for s in public
                 if best.get((n, k, s)) is not None and (n, k, s) not in rescaled}
        fastest = min(times, key=times.get) if times else None
        ours = best.get((n, k, "ours"))
        ratio = f"{times[fastest] / ours:.2f}" if fastest and ours else "-"
        print(f"| {n} | {k} | " + " | ".join(cell(n, k, s) for s in args.solvers)
              + f" | {fastest or '-'} | {ratio} |")
    if rescaled:
        print("\n* on costs divided by a power of 10 to fit lap.LARGE (not the same "
              "problem: not compared, and left out of the best public time)")


if __name__ == "__main__":
    main()
