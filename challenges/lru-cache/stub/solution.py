class LRUCache:
    """A cache holding at most ``capacity`` keys, evicting the least recently used."""

    def __init__(self, capacity: int) -> None:
        """Create an empty cache. Raise ValueError when capacity < 1."""
        raise NotImplementedError

    def get(self, key: int) -> int:
        """Return the value stored for key (making it the most recently used), or -1."""
        raise NotImplementedError

    def put(self, key: int, value: int) -> None:
        """Insert or update key; evict the least recently used key if the cache is over capacity."""
        raise NotImplementedError
