# Only handles 'a'-'z': children are a 26-slot array indexed by ord(c) - 97, which breaks on any other character.
class Node:
    def __init__(self):
        self.children = [None] * 26
        self.end = False


class Trie:
    def __init__(self):
        self.root = Node()

    def insert(self, word):
        node = self.root
        for char in word:
            index = ord(char) - ord("a")
            if node.children[index] is None:
                node.children[index] = Node()
            node = node.children[index]
        node.end = True

    def _find(self, text):
        node = self.root
        for char in text:
            node = node.children[ord(char) - ord("a")]
            if node is None:
                return None
        return node

    def search(self, word):
        node = self._find(word)
        return node is not None and node.end

    def starts_with(self, prefix):
        node = self._find(prefix)
        return node is not None and (node.end or any(child is not None for child in node.children))
