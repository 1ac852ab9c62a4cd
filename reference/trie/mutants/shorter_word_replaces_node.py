# Inserting a word replaces the node where it ends with a fresh one, so inserting "a" after "ab" loses "ab".
class Node:
    def __init__(self):
        self.children = {}
        self.end = False


class Trie:
    def __init__(self):
        self.root = Node()

    def insert(self, word):
        if not word:
            self.root.end = True
            return
        node = self.root
        for char in word[:-1]:
            if char not in node.children:
                node.children[char] = Node()
            node = node.children[char]
        last = Node()
        last.end = True
        node.children[word[-1]] = last

    def _find(self, text):
        node = self.root
        for char in text:
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
