# Correct, but O(N) per operation: keeps the words in a list and scans it.
# expect: slower
class Trie:
    def __init__(self):
        self.words = []

    def insert(self, word):
        if word not in self.words:
            self.words.append(word)

    def search(self, word):
        return word in self.words

    def starts_with(self, prefix):
        return any(w.startswith(prefix) for w in self.words)
