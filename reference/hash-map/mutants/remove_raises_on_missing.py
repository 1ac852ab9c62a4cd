# remove of an absent key raises KeyError (as del d[key] does) instead of returning False.

_INITIAL_BUCKETS = 8


class HashMap:
    def __init__(self) -> None:
        self._buckets = [[] for _ in range(_INITIAL_BUCKETS)]
        self._size = 0

    def _find(self, key):
        """(the key's hash, its bucket, the index of its entry in the bucket or -1)."""
        hashed = hash(key)                  # TypeError for an unhashable key, from every method
        bucket = self._buckets[hashed % len(self._buckets)]
        for index, (entry_hash, entry_key, _) in enumerate(bucket):
            if entry_hash == hashed and (entry_key is key or entry_key == key):
                return hashed, bucket, index
        return hashed, bucket, -1

    def put(self, key, value) -> None:
        hashed, bucket, index = self._find(key)
        if index >= 0:
            bucket[index][2] = value        # replace: the key held stays, len does not change
            return
        bucket.append([hashed, key, value])
        self._size += 1
        if self._size * 4 > len(self._buckets) * 3:
            self._resize(len(self._buckets) * 2)

    def get(self, key, default=None):
        _, bucket, index = self._find(key)
        return bucket[index][2] if index >= 0 else default

    def remove(self, key) -> bool:
        _, bucket, index = self._find(key)
        if index < 0:
            raise KeyError(key)
        bucket[index] = bucket[-1]          # order within a bucket does not matter
        bucket.pop()
        self._size -= 1
        return True

    def __contains__(self, key) -> bool:
        return self._find(key)[2] >= 0

    def __len__(self) -> int:
        return self._size

    def _resize(self, count: int) -> None:
        buckets = [[] for _ in range(count)]
        for bucket in self._buckets:
            for entry in bucket:
                buckets[entry[0] % count].append(entry)
        self._buckets = buckets
