class TrieNode:
    __slots__ = ("kids", "ends", "passing")

    def __init__(self):
        self.kids = {}
        self.ends = 0       # words ending here
        self.passing = 0    # words going through here (this node included)


class Trie:
    def __init__(self):
        self.root = TrieNode()

    def insert(self, word: str) -> None:
        cur = self.root
        cur.passing += 1
        for ch in word:
            nxt = cur.kids.get(ch)
            if nxt is None:
                nxt = cur.kids[ch] = TrieNode()
            cur = nxt
            cur.passing += 1
        cur.ends += 1

    def _locate(self, key):
        cur = self.root
        for ch in key:
            cur = cur.kids.get(ch)
            if not cur:
                return None
        return cur

    def search(self, word: str) -> bool:
        found = self._locate(word)
        return bool(found and found.ends)

    def starts_with(self, prefix: str) -> bool:
        found = self._locate(prefix)
        return bool(found and found.passing)
