class Trie:
    def __init__(self):
        self.t = {}

    def insert(self, word):
        n = self.t
        for c in word:
            n = n.setdefault(c, {})
        n[0] = 1

    def _go(self, s):
        n = self.t
        for c in s:
            n = n.get(c)
            if n is None:
                break
        return n

    def search(self, word):
        n = self._go(word)
        return n is not None and 0 in n

    def starts_with(self, prefix):
        n = self._go(prefix)
        return n is not None and len(n) > 0
