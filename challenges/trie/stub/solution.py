class Trie:
    """A prefix tree holding a set of words (any Python strings)."""

    def __init__(self) -> None:
        """Create an empty trie."""
        raise NotImplementedError

    def insert(self, word: str) -> None:
        """Add word to the trie. The empty word "" may be inserted too."""
        raise NotImplementedError

    def search(self, word: str) -> bool:
        """Return True if word itself was inserted (a mere prefix of an inserted word is not enough)."""
        raise NotImplementedError

    def starts_with(self, prefix: str) -> bool:
        """Return True if some inserted word starts with prefix ("" counts once any word was inserted)."""
        raise NotImplementedError
