"""Pairs of submissions that share fingerprints, found through an inverted index.

Each fingerprint hash maps to the submissions holding it; only submissions
that meet under some hash are ever paired, so the work grows with the
number of shared fingerprints, not with the number of pairs. Known
solutions (the reference, earlier years' or public ones) take part in the
index but are never paired with each other. A pair's score is the share of
the smaller side's distinct fingerprints that the other side has too: 1.0
when one is contained in the other, whatever their sizes. The smaller side
counts as at least ``MIN_FINGERPRINTS``: a submission of a line or two
beyond the stub (one fingerprint: ``return s[::-1]`` in the stub's
signature) is what independent candidates write alike, and sharing it is
no evidence of a copy.

A fingerprint that more than ``common_fraction`` of the submissions hold
(when there are at least ``COMMON_MIN_SUBMISSIONS`` of them) is treated as
boilerplate, like the stub's: an idiom everyone writes says nothing about
who copied whom, and counting it would pair everyone with everyone.

A fingerprint more than ``CROWD`` submissions hold (MOSS's ``-m``, whose
default is also 10) still counts in the score of every pair, but does not
by itself make one: pairing its h holders with each other is h*h/2 pairs,
and an idiom a tenth of a big class writes would make the work grow as the
square of the batch. A pair is found through a fingerprint at most CROWD
submissions hold (a copy shares its rare stretches too), through a known
solution (every holder of a fingerprint is paired with every known solution
holding it, however many), or, so that no pair at or above the threshold is
missed, by prefix filtering (Bayardo, Ma and Srikant, WWW 2007): a pair
that scores t shares at least ceil(t * size) of its smaller side's
fingerprints, so one of that side's ``size - ceil(t * size) + 1`` rarest
(fewest holders first) is shared, and a submission is paired with the other
holders of the crowded ones among them; an idiom is among a submission's
rarest only when it is mostly idioms. A pair found only that way is kept
when it is flagged and joins two clusters not joined yet (in the order of
the names), so the clusters are those of every flagged pair, and a solution
handed to 30 candidates lists 29 pairs, not 435 (20 accomplices each
holding a fragment of a copy pair's code could hide it from the first
holder of each fingerprint, which this replaced). A found pair's score
counts every fingerprint the two share, so it is the same as comparing the
two alone, boilerplate aside.
"""

from __future__ import annotations

import collections
import dataclasses
import itertools
import math

from grader.similarity.fingerprint import Fingerprints

# A pair at or above it is reported as a likely copy and joins a cluster. Measured on the labelled set in
# benchmarks/similarity/ (benchmarks/results/similarity_quality.txt): where copies flagged minus independent
# pairs flagged is highest, run as the command runs (a challenge at once): 97.1% of 715 disguised copies and
# none of 300 independent pairs at or above it.
DEFAULT_THRESHOLD = 0.46
DEFAULT_MIN_SCORE = 0.1         # pairs scoring below it are left out of the result (some copies score 0.25)
DEFAULT_COMMON_FRACTION = 0.5
COMMON_MIN_SUBMISSIONS = 10
CROWD = 10                      # a fingerprint more submissions hold makes no pair by itself (see above)
MIN_FINGERPRINTS = 4            # the least the smaller side counts as: one shared fingerprint scores at most 0.25


@dataclasses.dataclass(frozen=True)
class Pair:
    """Two submissions (``b`` may be a known solution, ``a`` never is) and what they share.

    ``ranges_a``/``ranges_b``: (file, first_line, last_line) of each matching
    fragment, in file and line order. ``longest_tokens``: the longest run of
    matching tokens, the shorter of the longest on either side."""
    a: str
    b: str
    score: float
    shared: int
    longest_tokens: int
    ranges_a: tuple
    ranges_b: tuple
    b_known: bool = False

    def to_json(self) -> dict:
        return {"a": self.a, "b": self.b, "b_known": self.b_known, "score": round(self.score, 4),
                "shared": self.shared, "longest_tokens": self.longest_tokens,
                "ranges_a": [list(item) for item in self.ranges_a],
                "ranges_b": [list(item) for item in self.ranges_b]}


@dataclasses.dataclass(frozen=True)
class SimilarityResult:
    pairs: list             # Pair, by score (highest first), then shared, then names
    clusters: list          # lists of names linked by pairs at or above threshold, biggest first
    threshold: float
    k: int
    window: int
    submissions: int        # how many submissions (not counting known solutions) were compared
    known: int

    def to_json(self) -> dict:
        return {"threshold": self.threshold, "k": self.k, "window": self.window,
                "submissions": self.submissions, "known": self.known,
                "pairs": [pair.to_json() for pair in self.pairs], "clusters": [list(item) for item in self.clusters]}


def _settings(fingerprints: list) -> tuple:
    kinds = {(item.k, item.window) for item in fingerprints}
    if len(kinds) > 1:
        raise ValueError(f"fingerprints made with different k and window cannot be compared: {sorted(kinds)}")
    return kinds.pop() if kinds else (None, None)


def _located(fp: Fingerprints) -> tuple:
    """(rows, where): each entry as (file, position, first_line, last_line), in file and position order, and
    hash -> the numbers of the rows that have it."""
    rows = []
    where = collections.defaultdict(list)
    for number, entry in enumerate(fp.entries):
        rows.append((entry.file, entry.position, entry.first_line, entry.last_line))
        where[entry.hash].append(number)
    return rows, where


def _fragments(located: tuple, shared: frozenset, k: int) -> tuple:
    """((file, first_line, last_line), ...) of the runs of matching k-grams, and the longest run in tokens.

    Only the rows of the shared hashes are visited (``located``: from _located), in file and position order:
    most pairs share a few fingerprints of many, and a report holds thousands of pairs."""
    rows, where = located
    ranges = []
    longest = 0
    run_file = None
    run_start = run_end = run_first = run_last = 0

    def close():
        nonlocal longest
        if run_end - run_start > longest:
            longest = run_end - run_start
        if ranges and ranges[-1][0] == run_file and run_first <= ranges[-1][2] + 1:
            ranges[-1] = (run_file, ranges[-1][1], max(run_last, ranges[-1][2]))
        else:
            ranges.append((run_file, run_first, run_last))

    for number in sorted([number for value in shared for number in where[value]]):
        file, position, first_line, last_line = rows[number]
        if file == run_file and position <= run_end:     # overlaps the run: extend it
            if position + k > run_end:
                run_end = position + k
            if first_line < run_first:
                run_first = first_line
            if last_line > run_last:
                run_last = last_line
            continue
        if run_file is not None:
            close()
        run_file, run_start, run_end, run_first, run_last = file, position, position + k, first_line, last_line
    if run_file is not None:
        close()
    return tuple(ranges), longest


class _Clusters:
    """Submissions (by number) joined by flagged pairs: a union-find with path halving, the lower number as
    each root. compare() joins as it keeps pairs, and needs to know which pairs would join two clusters."""

    def __init__(self):
        self.parent = {}

    def root(self, number: int) -> int:
        while self.parent.get(number, number) != number:
            up = self.parent[number]
            self.parent[number] = self.parent.get(up, up)
            number = up
        return number

    def join(self, left: int, right: int) -> None:
        low, high = sorted((self.root(left), self.root(right)))
        self.parent[high] = low

    def groups(self, names: list) -> list:
        """Each cluster of two or more as sorted names, biggest first, then by names."""
        found = collections.defaultdict(list)
        for number, name in enumerate(names):
            found[self.root(number)].append(name)
        return sorted((sorted(group) for group in found.values() if len(group) > 1),
                      key=lambda group: (-len(group), group))


def _through_crowds(kept: list, sizes: list, in_crowds: list, crowded: set, index: dict, is_known: list,
                    threshold: float) -> set:
    """(left, right) of every pair that could reach ``threshold`` through crowded fingerprints (see the
    module's docstring): each submission with the other holders of the crowded ones among its rarest."""
    found = set()
    for number, held in enumerate(kept):
        if is_known[number] or not in_crowds[number]:
            continue
        size = sizes[number]
        prefix = size - max(0, math.ceil(threshold * max(MIN_FINGERPRINTS, size) - 1e-9)) + 1
        # Rare fingerprints (at most CROWD holders) come before every crowded one: only the first
        # ``prefix - rare`` crowded ones, by holders then hash, are in the prefix.
        take = min(prefix, size) - (size - in_crowds[number])
        if take <= 0:
            continue
        partners = set()
        for value in sorted(held & crowded, key=lambda value: (len(index[value]), value))[:take]:
            partners.update(index[value])
        partners.discard(number)
        found.update((min(number, other), max(number, other)) for other in partners if not is_known[other])
    return found


def compare(submissions: dict, known: dict | None = None, *, threshold: float = DEFAULT_THRESHOLD,
            min_score: float = DEFAULT_MIN_SCORE, common_fraction: float = DEFAULT_COMMON_FRACTION) -> SimilarityResult:
    """Every pair of ``submissions`` (name -> Fingerprints), and every
    submission with every ``known`` solution, that is found through the
    index (see the module's docstring) and scores at least ``min_score``
    (0 keeps every pair found)."""
    known = dict(known or {})
    clash = sorted(set(submissions) & set(known))
    if clash:
        raise ValueError(f"a name is both a submission and a known solution: {clash[0]!r}")
    k, window = _settings(list(submissions.values()) + list(known.values()))
    names = sorted(submissions) + sorted(known)
    is_known = [False] * len(submissions) + [True] * len(known)
    prints = [(submissions.get(name) or known[name]) for name in names]
    hashes = [item.hashes for item in prints]
    index = collections.defaultdict(list)          # hash -> the numbers of the submissions holding it
    for number, held in enumerate(hashes):
        for value in held:
            index[value].append(number)
    limit = None
    if len(submissions) >= COMMON_MIN_SUBMISSIONS:
        limit = common_fraction * len(submissions)
    rare: collections.Counter = collections.Counter()     # (left, right) -> rare fingerprints they share
    common = set()
    crowded = set()
    for value, holders in index.items():
        if len(holders) < 2:
            continue
        # Holders are in ascending order, submissions before known solutions; two known solutions are never
        # a pair, so their combinations are not even counted (a --known folder of thousands would be K*K).
        mine = [number for number in holders if not is_known[number]]
        if limit is not None and len(mine) > limit:
            common.add(value)
            continue
        rare.update(itertools.product(mine, holders[len(mine):]))
        if len(mine) <= CROWD:
            rare.update(itertools.combinations(mine, 2))
        else:
            crowded.add(value)
    kept = [held - common for held in hashes] if common else hashes
    sizes = [len(held) for held in kept]            # once, not once a pair
    in_crowds = [len(held & crowded) for held in kept] if crowded else [0] * len(kept)
    crowd_found = _through_crowds(kept, sizes, in_crowds, crowded, index, is_known, threshold) if crowded else set()
    clusters = _Clusters()              # of the flagged pairs kept so far
    def scored(left, right, found, floor):
        """(-score, -shared, left, right, shared hashes) of a pair that could reach ``floor``, else None."""
        smaller = max(MIN_FINGERPRINTS, min(sizes[left], sizes[right]))
        # What a pair shares is its rare fingerprints and at most the smaller count of crowded ones:
        # a pair that could not reach the floor is not intersected.
        if (found + min(in_crowds[left], in_crowds[right])) / smaller < floor:
            return None
        together = kept[left] & kept[right]
        score = len(together) / smaller
        return None if score < floor or score <= 0 else (-score, -len(together), left, right, together)

    chosen = []
    for (left, right), found in rare.items():
        item = scored(left, right, found, min_score)
        if item is not None:
            chosen.append(item)
            if -item[0] >= threshold:
                clusters.join(left, right)
    # A pair found only through crowds is kept when it is flagged and joins two clusters not joined yet, in
    # the order of the names: the clusters are those of every flagged pair, and a joined pair costs nothing.
    for left, right in sorted(crowd_found - rare.keys()):
        if clusters.root(left) != clusters.root(right):
            item = scored(left, right, 0, threshold)
            if item is not None:
                chosen.append(item)
                clusters.join(left, right)
    pairs = []
    located = [None] * len(prints)      # each side's rows and hash -> rows, made when it is first in a pair
    for negative_score, negative_shared, left, right, together in chosen:
        for number in (left, right):
            if located[number] is None:
                located[number] = _located(prints[number])
        ranges_a, longest_a = _fragments(located[left], together, k)
        ranges_b, longest_b = _fragments(located[right], together, k)
        pairs.append(Pair(a=names[left], b=names[right], score=-negative_score, shared=-negative_shared,
                          longest_tokens=min(longest_a, longest_b), ranges_a=ranges_a, ranges_b=ranges_b,
                          b_known=is_known[right]))
    pairs.sort(key=lambda pair: (-pair.score, -pair.shared, pair.a, pair.b))
    return SimilarityResult(pairs=pairs, clusters=clusters.groups(names), threshold=threshold,
                            k=k or 0, window=window or 0, submissions=len(submissions), known=len(known))
