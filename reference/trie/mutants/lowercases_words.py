# Lower-cases every word and prefix, so words that differ only in case are treated as the same word.
class Node:
    def __init__(self):
        self.children = {}
        self.end = False


class Trie:
    def __init__(self):
        self.root = Node()

    def insert(self, word):
        node = self.root
        for char in word.lower():
            if char not in node.children:
                node.children[char] = Node()
            node = node.children[char]
        node.end = True

    def _find(self, text):
        node = self.root
        for char in text.lower():
            if char not in node.children:
                return None
            node = node.children[char]
        return node

    def search(self, word):
        node = self._find(word)
        return node is not None and node.end

    def starts_with(self, prefix):
        node = self._find(prefix)
        return node is not None and (node.end or bool(node.children))
