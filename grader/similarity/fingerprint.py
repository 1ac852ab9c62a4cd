"""Token k-grams -> hashes -> winnowed fingerprints, each with where it came from.

A fingerprint is the hash of ``k`` consecutive normalised tokens; of every
``window`` consecutive k-gram hashes the minimum is kept (robust winnowing,
Schleimer, Wilkerson and Aiken, SIGMOD 2003: the rightmost minimum, unless
the minimum of the window before is still inside the window). So any run of
``window + k - 1`` tokens two files share gives them at least one common
fingerprint, and nothing shorter than ``k`` tokens can. Hashes are stable
(BLAKE2b of each token, a polynomial over the k-gram, then a 64-bit mix):
the same code has the same fingerprints in every process and every run,
which the batch database relies on.

K-grams never span two files. Fingerprints that the challenge's stub also
has (the ``base``) are dropped: what every candidate was handed never counts.
"""

from __future__ import annotations

import dataclasses
import hashlib

from grader.similarity.tokens import tokens

DEFAULT_K = 12          # tokens in a k-gram: shorter matches are noise ("V = V ( )" is in every program)
DEFAULT_WINDOW = 8      # k-gram hashes per window: a shared run of k + window - 1 = 19 tokens is always seen

_MASK = (1 << 64) - 1
_BASE = 0x100000001B3   # the polynomial's base (odd, so no information is lost mod 2**64)
_token_ids: dict = {}


def _token_id(text: str) -> int:
    found = _token_ids.get(text)
    if found is None:
        found = int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "big")
        if len(_token_ids) < 100_000:   # identifiers are all "V", so the distinct tokens are few; bound it anyway
            _token_ids[text] = found
    return found


def _mix(value: int) -> int:
    """splitmix64's finaliser: nearby polynomials become unrelated hashes, so minima are spread evenly."""
    value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9 & _MASK
    value = (value ^ (value >> 27)) * 0x94D049BB133111EB & _MASK
    return value ^ (value >> 31)


def kgram_hashes(ids: list, k: int) -> list:
    """The hash of every k-gram of ``ids``, by a rolling polynomial."""
    if len(ids) < k:
        return []
    top = pow(_BASE, k - 1, 1 << 64)
    value = 0
    for item in ids[:k]:
        value = (value * _BASE + item) & _MASK
    hashes = [_mix(value)]
    for position in range(k, len(ids)):
        value = ((value - ids[position - k] * top) * _BASE + ids[position]) & _MASK
        hashes.append(_mix(value))
    return hashes


def winnow(hashes: list, window: int) -> list:
    """The positions robust winnowing selects from ``hashes``, in order.

    A text with fewer hashes than a window keeps its minimum (the rightmost)."""
    if not hashes:
        return []
    if len(hashes) <= window:
        low = min(hashes)
        return [max(index for index, value in enumerate(hashes) if value == low)]
    selected = []
    chosen = -1
    for end in range(window - 1, len(hashes)):
        start = end - window + 1
        if chosen < start:              # the previous choice left the window: the rightmost minimum
            chosen = start
            for index in range(start + 1, end + 1):
                if hashes[index] <= hashes[chosen]:
                    chosen = index
            selected.append(chosen)
        elif hashes[end] < hashes[chosen]:   # strictly smaller: a tie keeps the choice already made
            chosen = end
            selected.append(chosen)
    return selected


@dataclasses.dataclass(frozen=True)
class Fingerprint:
    hash: int
    file: str
    position: int       # the k-gram's first token, counted within its file
    first_line: int
    last_line: int


@dataclasses.dataclass(frozen=True)
class Fingerprints:
    """One submission's selected fingerprints (``entries``, in file and
    position order), the token count per file, and the k and window used."""
    entries: tuple
    tokens: dict
    k: int = DEFAULT_K
    window: int = DEFAULT_WINDOW

    @property
    def hashes(self) -> frozenset:
        return frozenset(entry.hash for entry in self.entries)

    def without(self, base: "Fingerprints | None") -> "Fingerprints":
        """These fingerprints less the base's (the stub's): what ``fingerprint_files(..., base=base)`` gives."""
        if base is None or not base.entries:
            return self
        if (base.k, base.window) != (self.k, self.window):
            raise ValueError(f"the base was fingerprinted with k={base.k}, window={base.window}, "
                             f"not k={self.k}, window={self.window}")
        skip = base.hashes
        return dataclasses.replace(self, entries=tuple(entry for entry in self.entries if entry.hash not in skip))

    def to_json(self) -> dict:
        """Plain data for the batch database (hashes as hex: JSON numbers lose 64-bit precision)."""
        files = sorted(self.tokens)
        index = {name: number for number, name in enumerate(files)}
        return {"k": self.k, "window": self.window, "files": files, "tokens": [self.tokens[name] for name in files],
                "entries": [[format(entry.hash, "016x"), index[entry.file], entry.position, entry.first_line,
                             entry.last_line] for entry in self.entries]}

    @classmethod
    def from_json(cls, data: dict) -> "Fingerprints":
        """The inverse of ``to_json``; raises ValueError (or KeyError, TypeError) on data of another shape."""
        files = [str(name) for name in data["files"]]
        counts = [int(count) for count in data["tokens"]]
        if len(files) != len(counts):
            raise ValueError("fingerprints: files and token counts differ in length")
        try:
            entries = tuple(Fingerprint(int(value, 16), files[file], int(position), int(first), int(last))
                            for value, file, position, first, last in data["entries"])
        except IndexError:
            raise ValueError("fingerprints: an entry names a file that is not listed") from None
        return cls(entries=entries, tokens=dict(zip(files, counts)), k=int(data["k"]), window=int(data["window"]))


def fingerprint_files(files: dict, *, base: Fingerprints | None = None, k: int = DEFAULT_K,
                      window: int = DEFAULT_WINDOW) -> Fingerprints:
    """The fingerprints of a submission's files (relative path -> text, or
    bytes decoded as UTF-8 with undecodable bytes replaced), less those of
    ``base`` (the stub). ``k`` and ``window`` must match the base's."""
    if k < 1 or window < 1:
        raise ValueError("k and window must be at least 1")
    if base is not None and (base.k, base.window) != (k, window):
        raise ValueError(f"the base was fingerprinted with k={base.k}, window={base.window}, not k={k}, window={window}")
    skip = base.hashes if base is not None else frozenset()
    entries = []
    counts = {}
    for name in sorted(files):
        text = files[name]
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig", "replace")
        found = tokens(text)
        counts[name] = len(found)
        hashes = kgram_hashes([_token_id(item.text) for item in found], k)
        for position in winnow(hashes, window):
            if hashes[position] in skip:
                continue
            # Tokens come in file order, so a k-gram's lines are its first token's to its last's.
            entries.append(Fingerprint(hashes[position], name, position, found[position].line,
                                       found[position + k - 1].line))
    return Fingerprints(entries=tuple(entries), tokens=counts, k=k, window=window)
