"""Benchmark spec for trie: operations must not depend on how many words are stored.

Two axes: N, the number of stored words (words of 8 characters), and m, the
length of the word searched (with 50 words stored). Half the searched words
are stored and half are not; prefixes share their first characters with
stored words, so a scan cannot stop early.
"""

from grader.complexity.spec import Operation

BATCH = 5_000

WORKLOAD = f'''
LETTERS = str.maketrans("0123456789", "abcdefghij")

def word(x, length):
    """A distinct word per x: its 8 digits as letters, repeated to the length."""
    chunk = str(x % 100_000_000).zfill(8).translate(LETTERS)
    return (chunk * (length // 8 + 1))[:length]

def numbers(count, seed):
    return [(i * 7_919_993 + seed * 104_729) % 99_999_989 for i in range(count)]

def stored(solution, count, length, seed):
    trie = solution.Trie()
    words = [word(x, length) for x in numbers(count, seed)]
    for w in words:
        trie.insert(w)
    return trie, words

def setup_insert(solution, n, seed):
    trie, words = stored(solution, n, 8, seed)
    return trie, [word(x, 8) for x in numbers({BATCH}, seed + 1)]

def run_insert(state):
    trie, new = state
    insert = trie.insert
    for w in new:
        insert(w)
    return [trie.search(w) for w in new[:50]] + [trie.starts_with(w[:4]) for w in new[-50:]]

def probes(words, count, length, seed, cut=None):
    fresh = [word(x, length) for x in numbers(count, seed + 7)]
    chosen = [words[i % len(words)] if i % 2 else fresh[i] for i in range(count)]
    return [w[:cut] for w in chosen] if cut else chosen

def setup_lookup(solution, n, seed):
    trie, words = stored(solution, n, 8, seed)
    return trie, probes(words, {BATCH}, 8, seed), probes(words, {BATCH}, 8, seed + 1, cut=6)

def run_lookup(state):
    trie, words, prefixes = state
    search, starts_with = trie.search, trie.starts_with
    return [search(w) for w in words] + [starts_with(p) for p in prefixes]

def setup_search_long(solution, m, seed):
    trie, words = stored(solution, 50, m, seed)
    return trie.search, probes(words, max(1, 250_000 // m), m, seed)

def run_search(state):
    search, queries = state
    return [search(q) for q in queries]
'''

OPERATIONS = [
    Operation(name="insert (N words stored)", expected="O(1)", setup="setup_insert", run="run_insert",
              sizes=(100, 10_000), axis="N words"),
    Operation(name="search and starts_with (N words stored)", expected="O(1)", setup="setup_lookup",
              run="run_lookup", sizes=(100, 10_000), axis="N words"),
    Operation(name="search (word length m)", expected="O(m)", setup="setup_search_long", run="run_search",
              sizes=(10, 1_000), axis="m characters"),
]
