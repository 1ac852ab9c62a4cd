class HashMap:
    """A hash table of your own: entries live in Python lists (no dict or set)."""

    def __init__(self) -> None:
        """Create an empty map."""
        raise NotImplementedError

    def put(self, key, value) -> None:
        """Insert key with value, or replace the value of an equal key already held."""
        raise NotImplementedError

    def get(self, key, default=None):
        """Return the value held for key, or default when key is not held."""
        raise NotImplementedError

    def remove(self, key) -> bool:
        """Delete key and return True; return False when key is not held."""
        raise NotImplementedError

    def __contains__(self, key) -> bool:
        """key in map: whether key is held."""
        raise NotImplementedError

    def __len__(self) -> int:
        """len(map): the number of keys held."""
        raise NotImplementedError
