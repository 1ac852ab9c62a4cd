# Open addressing (linear probing) whose remove empties the slot instead of leaving a tombstone:
# a key put after a colliding one, further along the probe sequence, is no longer found.
_EMPTY = object()


class HashMap:
    def __init__(self):
        self._slots = [_EMPTY] * 8
        self._size = 0

    def _probe(self, key):
        """(hash, index of the key's slot or of the first empty slot, found)."""
        hashed = hash(key)
        index = hashed % len(self._slots)
        while True:
            slot = self._slots[index]
            if slot is _EMPTY:
                return hashed, index, False
            if slot[0] == hashed and (slot[1] is key or slot[1] == key):
                return hashed, index, True
            index = (index + 1) % len(self._slots)

    def put(self, key, value):
        hashed, index, found = self._probe(key)
        if found:
            self._slots[index][2] = value
            return
        self._slots[index] = [hashed, key, value]
        self._size += 1
        if self._size * 2 > len(self._slots):
            old = self._slots
            self._slots = [_EMPTY] * (len(old) * 2)
            self._size = 0
            for slot in old:
                if slot is not _EMPTY:
                    self.put(slot[1], slot[2])

    def get(self, key, default=None):
        _, index, found = self._probe(key)
        return self._slots[index][2] if found else default

    def remove(self, key):
        _, index, found = self._probe(key)
        if not found:
            return False
        self._slots[index] = _EMPTY
        self._size -= 1
        return True

    def __contains__(self, key):
        return self._probe(key)[2]

    def __len__(self):
        return self._size
