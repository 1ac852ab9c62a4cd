"""Hash map with separate chaining; buckets are lists of Entry objects.

A key matches an entry when the stored hash is equal and the key is the same
object or compares equal, as Python's own mapping does. The bucket count
doubles once the load passes 3/4.
"""


class Entry:
    __slots__ = ("hash_value", "key", "value")

    def __init__(self, hash_value, key, value):
        self.hash_value = hash_value
        self.key = key
        self.value = value


class HashMap:
    """Keys compared by hash then equality; O(1) average per operation."""

    LOAD_LIMIT = 0.75

    def __init__(self) -> None:
        self._table: list[list[Entry]] = [[] for _ in range(16)]
        self._count = 0

    def _bucket(self, key):
        hash_value = hash(key)
        return hash_value, self._table[hash_value % len(self._table)]

    @staticmethod
    def _matches(entry: Entry, hash_value, key) -> bool:
        return entry.hash_value == hash_value and (entry.key is key or entry.key == key)

    def put(self, key, value) -> None:
        """Insert ``key``, or replace the value of the equal key held."""
        hash_value, bucket = self._bucket(key)
        for entry in bucket:
            if self._matches(entry, hash_value, key):
                entry.value = value
                return
        bucket.append(Entry(hash_value, key, value))
        self._count += 1
        if self._count > self.LOAD_LIMIT * len(self._table):
            self._grow()

    def get(self, key, default=None):
        """The value held for ``key``, else ``default``."""
        hash_value, bucket = self._bucket(key)
        for entry in bucket:
            if self._matches(entry, hash_value, key):
                return entry.value
        return default

    def remove(self, key) -> bool:
        """Delete ``key``; False when it was not held."""
        hash_value, bucket = self._bucket(key)
        for position, entry in enumerate(bucket):
            if self._matches(entry, hash_value, key):
                del bucket[position]
                self._count -= 1
                return True
        return False

    def __contains__(self, key) -> bool:
        hash_value, bucket = self._bucket(key)
        return any(self._matches(entry, hash_value, key) for entry in bucket)

    def __len__(self) -> int:
        return self._count

    def _grow(self) -> None:
        bigger: list[list[Entry]] = [[] for _ in range(2 * len(self._table))]
        for bucket in self._table:
            for entry in bucket:
                bigger[entry.hash_value % len(bigger)].append(entry)
        self._table = bigger
