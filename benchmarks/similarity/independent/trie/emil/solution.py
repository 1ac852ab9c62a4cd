class Node:
    def __init__(self):
        self.children = {}
        self.end_of_word = False


class Trie:
    def __init__(self):
        self.root = Node()
        self.word_count = 0

    def insert(self, word):
        current = self.root
        for letter in word:
            if letter not in current.children:
                current.children[letter] = Node()
            current = current.children[letter]
        if not current.end_of_word:
            current.end_of_word = True
            self.word_count = self.word_count + 1

    def find_node(self, text):
        current = self.root
        for letter in text:
            if letter in current.children:
                current = current.children[letter]
            else:
                return None
        return current

    def search(self, word):
        node = self.find_node(word)
        if node is None:
            return False
        return node.end_of_word

    def starts_with(self, prefix):
        if self.word_count == 0:
            return False
        node = self.find_node(prefix)
        return node is not None
