"""Reference trie: one dict of children per node, keyed by character, plus an end-of-word flag."""


class _Node:
    __slots__ = ("children", "is_word")

    def __init__(self):
        self.children = {}     # character -> _Node
        self.is_word = False   # True when the path from the root to here spells an inserted word


class Trie:
    def __init__(self) -> None:
        self._root = _Node()

    def insert(self, word: str) -> None:
        node = self._root
        for char in word:
            child = node.children.get(char)
            if child is None:
                child = node.children[char] = _Node()
            node = child
        node.is_word = True

    def _walk(self, text: str):
        """The node that ``text`` leads to, or None when no inserted word starts with it."""
        node = self._root
        for char in text:
            node = node.children.get(char)
            if node is None:
                return None
        return node

    def search(self, word: str) -> bool:
        node = self._walk(word)
        return node is not None and node.is_word

    def starts_with(self, prefix: str) -> bool:
        # Nodes are only created by insert, so every node below the root lies on
        # an inserted word; the root itself needs a word ending there or below it.
        node = self._walk(prefix)
        return node is not None and (node.is_word or bool(node.children))
