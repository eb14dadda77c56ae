"""The matrices of benches/assignment.rs, generated bit for bit the same from
the same seeded SplitMix64, for the comparison scripts beside this file.

Each family maps `n` to an `n × n` float64 array:

- `uniform`: integers uniform in [0, 10^6); `uniform-1000`: in [0, 1000);
- `mentor-like`: 1 - cosine similarity of sparse 32-dimensional answer vectors
  (2 to 5 answers of 1 to 5 each): few distinct values, many exact ties;
- `machol-wien`: (i + 1)(j + 1) (Machol and Wien 1976), hard for
  shortest-augmenting-path solvers: every augmentation is long;
- `product`: i · j, the same with a zero row and column;
- `square-sum`: (i + j)^2;
- `rank-1`: u_i · v_j with integers u, v uniform in [1, 1000].
"""

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


def rank_one(n, seed):
    """u_i · v_j, u then v drawn as integers in [1, 1000]."""
    rng = SplitMix64(seed)
    u = (rng.block(n) % np.uint64(1000) + np.uint64(1)).astype(np.float64)
    v = (rng.block(n) % np.uint64(1000) + np.uint64(1)).astype(np.float64)
    return np.outer(u, v)


def indices(n):
    i = np.arange(n, dtype=np.float64)
    return i[:, None], i[None, :]


def machol_wien(n):
    i, j = indices(n)
    return (i + 1) * (j + 1)


def product(n):
    i, j = indices(n)
    return i * j


def square_sum(n):
    i, j = indices(n)
    return (i + j) ** 2


FAMILIES = {
    "uniform": lambda n: uniform(n, 1, 1_000_000),
    "uniform-1000": lambda n: uniform(n, 1, 1000),
    "mentor-like": lambda n: mentor_like(n, 1),
    "machol-wien": machol_wien,
    "product": product,
    "square-sum": square_sum,
    "rank-1": lambda n: rank_one(n, 1),
}


def write_binary(path, costs):
    """Two little-endian u64 (rows, columns), then the float64 entries row by row."""
    with open(path, "wb") as out:
        np.array(costs.shape, dtype="<u8").tofile(out)
        np.ascontiguousarray(costs, dtype="<f8").tofile(out)
