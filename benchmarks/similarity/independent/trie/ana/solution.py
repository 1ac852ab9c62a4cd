"""Trie as nested dicts; the key None marks the end of an inserted word."""

_END = None


class Trie:
    """A set of strings, searchable by whole word or by prefix."""

    def __init__(self) -> None:
        self._root: dict = {}

    def insert(self, word: str) -> None:
        """Add ``word``; the empty string is allowed."""
        level = self._root
        for character in word:
            level = level.setdefault(character, {})
        level[_END] = True

    def _descend(self, text: str):
        level = self._root
        for character in text:
            if character not in level:
                return None
            level = level[character]
        return level

    def search(self, word: str) -> bool:
        """True only when ``word`` itself was inserted."""
        level = self._descend(word)
        return level is not None and _END in level

    def starts_with(self, prefix: str) -> bool:
        """True when some inserted word begins with ``prefix``."""
        level = self._descend(prefix)
        return bool(level)
