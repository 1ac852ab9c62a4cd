from collections import defaultdict


def _tree():
    return defaultdict(_tree)


class Trie:
    WORD_END = ("end",)

    def __init__(self):
        self.branches = _tree()
        self.empty = True

    def insert(self, word):
        branch = self.branches
        for letter in word:
            branch = branch[letter]
        branch[self.WORD_END] = True
        self.empty = False

    def follow(self, letters):
        branch = self.branches
        for letter in letters:
            if letter not in branch:
                return None
            branch = branch[letter]
        return branch

    def search(self, word):
        branch = self.follow(word)
        if branch is None:
            return False
        return self.WORD_END in branch

    def starts_with(self, prefix):
        if self.empty:
            return False
        return self.follow(prefix) is not None
