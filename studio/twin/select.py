"""Unit selection: which atlas unit shows each frame's mouth (Video Rewrite / Ezzat et al.).

Pure arithmetic on the atlas arrays, no images. A *target cost* says how far a unit's mouth
is from the driver's; a *join cost* says how visible the change from one unit to the next
is: nothing when the next unit is the next frame of the same footage (a natural
continuation, ``source_frame`` b = a + 1), a little for holding a unit, otherwise a
concatenation penalty plus how different the two look (appearance embedding) and how
different their mouths are. Dynamic programming (Viterbi) over the candidates of each frame
finds the cheapest path: over the look-ahead window live, over the whole track for a render.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from studio.twin.data import Atlas

# How much each mouth parameter counts (jaw, width, round, close, tuck): the jaw opening is
# what viewers read first, then whether the lips meet (p b m) and round (oo).
WEIGHTS = (3.0, 1.0, 1.5, 2.0, 1.5)
MAX_JOIN_TABLE = 2048  # units; above this the join costs are computed per frame instead


@dataclass(frozen=True)
class Costs:
    candidates: int = 24  # per frame, the best by target cost
    hold: float = 0.04  # showing the same unit again (a frozen mouth reads as a stall)
    concat: float = 0.3  # any other join that is not the footage's own next frame
    appearance: float = 0.25  # per unit of embedding distance (embeddings are ~unit scale)
    mouth: float = 0.3  # per unit of weighted mouth distance between the two units


def atlas_tag(atlas: Atlas) -> int:
    """An identity for the atlas, exact in a float32 (a plan's ``tag``): < 2**24."""
    digest = zlib.crc32(np.ascontiguousarray(atlas.source_frame).tobytes())
    digest = zlib.crc32(np.ascontiguousarray(atlas.mouth).tobytes(), digest)
    return digest & 0xFFFFFF


class UnitIndex:
    """The atlas arrays the costs need, prepared once and shared read-only by every thread."""

    def __init__(self, atlas: Atlas, costs: Costs | None = None) -> None:
        if len(atlas) == 0:
            raise ValueError("the atlas has no units")
        self.costs = costs or Costs()
        self.scale = np.sqrt(np.asarray(WEIGHTS, np.float32))
        self.mouth = (atlas.mouth.astype(np.float32) * self.scale).astype(np.float32)
        self.embedding = atlas.embedding.astype(np.float32)
        self.k = min(self.costs.candidates, len(atlas))
        # successor[a]: the unit cut from the frame after a's, or -1.
        src = atlas.source_frame.astype(np.int64)
        order = np.argsort(src, kind="stable")
        successor = np.full(len(src), -1, np.int64)
        follows = src[order[1:]] == src[order[:-1]] + 1
        successor[order[:-1][follows]] = order[1:][follows]
        self.successor = successor
        # Every join cost at once when the table is small (800 units: 2.5 MB): the live planner
        # then only gathers, well under a millisecond a frame.
        self._joins: np.ndarray | None = None
        if len(src) <= MAX_JOIN_TABLE:
            every = np.arange(len(src))
            self._joins = np.concatenate(
                [self._join(every[s : s + 256], every) for s in range(0, len(src), 256)]
            )

    def __len__(self) -> int:
        return int(self.mouth.shape[0])

    def scaled(self, mouth: np.ndarray) -> np.ndarray:
        return np.asarray(mouth, np.float32)[..., : self.mouth.shape[1]] * self.scale

    def target(self, mouth: np.ndarray) -> np.ndarray:
        """(T, U) weighted distance from each driver mouth (T, 5) to every unit's mouth."""
        m = self.scaled(np.atleast_2d(mouth))
        # |m|^2 - 2 m.u + |u|^2: one matrix product instead of a (T, U, 5) difference.
        d2 = (m * m).sum(1)[:, None] - 2.0 * (m @ self.mouth.T) + (self.mouth * self.mouth).sum(1)[None, :]
        return np.sqrt(np.maximum(d2, 0.0))

    def candidates(self, mouth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(T, K) unit indices and their target costs: the K best per frame, cheapest first."""
        cost = self.target(mouth)
        k = self.k
        if k < cost.shape[1]:
            idx = np.argpartition(cost, k - 1, axis=1)[:, :k]
        else:
            idx = np.broadcast_to(np.arange(cost.shape[1]), cost.shape).copy()
        c = np.take_along_axis(cost, idx, 1)
        order = np.argsort(c, axis=1, kind="stable")
        return np.take_along_axis(idx, order, 1), np.take_along_axis(c, order, 1)

    def join(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """(len(a), len(b)) cost of showing unit b right after unit a."""
        if self._joins is not None:
            return self._joins[a[:, None], b[None, :]]
        return self._join(a, b)

    def _join(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        c = self.costs
        cost = c.concat + c.appearance * _distances(self.embedding[a], self.embedding[b])
        cost += c.mouth * _distances(self.mouth[a], self.mouth[b])
        cost[a[:, None] == b[None, :]] = c.hold
        cost[self.successor[a][:, None] == b[None, :]] = 0.0
        return cost.astype(np.float32)

    def natural(self, a: int, b: int) -> bool:
        """True when b after a shows no join: the footage's own next frame, or a hold."""
        return a == b or int(self.successor[a]) == b


def _distances(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """(len(x), len(y)) Euclidean distances, through one matrix product."""
    d2 = (x * x).sum(1)[:, None] - 2.0 * (x @ y.T) + (y * y).sum(1)[None, :]
    return np.sqrt(np.maximum(d2, 0.0))


def viterbi(index: UnitIndex, mouth: np.ndarray, start: int | None = None) -> np.ndarray:
    """(T,) the cheapest units for the driver mouths (T, 5), after ``start`` (the unit shown
    just before, whose join to the first frame is paid) when given."""
    mouth = np.atleast_2d(np.asarray(mouth, np.float32))
    n = mouth.shape[0]
    if n == 0:
        return np.zeros(0, np.int64)
    cand, target = index.candidates(mouth)
    if start is not None and start >= 0:
        cand, target = _with_successor(index, cand, target, mouth[0], start)
        total = target[0] + index.join(np.array([start]), cand[0])[0]
    else:
        total = target[0].copy()
    back = np.empty((n, cand.shape[1]), np.int64)
    for t in range(1, n):
        step = total[:, None] + index.join(cand[t - 1], cand[t])
        back[t] = np.argmin(step, axis=0)
        total = step[back[t], np.arange(step.shape[1])] + target[t]
    path = np.empty(n, np.int64)
    j = int(np.argmin(total))
    for t in range(n - 1, -1, -1):
        path[t] = cand[t, j]
        j = int(back[t, j])
    return path


def _with_successor(
    index: UnitIndex, cand: np.ndarray, target: np.ndarray, mouth: np.ndarray, start: int
) -> tuple[np.ndarray, np.ndarray]:
    """The first frame's candidates with ``start``'s natural successor (and ``start`` itself,
    a hold) in place of the worst ones, so a run that is going well can carry on even when
    its next frame is not among the K best by target cost alone."""
    extra = [u for u in (int(index.successor[start]), start) if u >= 0 and u not in cand[0]]
    if not extra:
        return cand, target
    cand, target = cand.copy(), target.copy()
    costs = index.target(mouth)[0, extra]
    cand[0, -len(extra) :] = extra
    target[0, -len(extra) :] = costs
    return cand, target


def viterbi_track(index: UnitIndex, mouth: np.ndarray, chunk: int = 2048) -> np.ndarray:
    """(N,) the cheapest units for a whole track, in chunks that each start from the unit
    the previous one ended on (memory stays bounded for long tracks)."""
    mouth = np.atleast_2d(np.asarray(mouth, np.float32))
    out = np.empty(mouth.shape[0], np.int64)
    start: int | None = None
    for s in range(0, mouth.shape[0], chunk):
        path = viterbi(index, mouth[s : s + chunk], start)
        out[s : s + len(path)] = path
        start = int(path[-1])
    return out
