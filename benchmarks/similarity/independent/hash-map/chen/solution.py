class HashMap:
    """Chaining; each bucket is a pair of parallel lists: [hashes_keys, values]."""

    def __init__(self):
        self._slots = 4
        self._keys = [[] for _ in range(self._slots)]
        self._vals = [[] for _ in range(self._slots)]
        self._n = 0

    def _where(self, key):
        code = hash(key)
        b = code % self._slots
        chain = self._keys[b]
        for pos in range(len(chain)):
            c, k = chain[pos]
            if c == code and (k is key or k == key):
                return code, b, pos
        return code, b, None

    def put(self, key, value):
        code, b, pos = self._where(key)
        if pos is not None:
            self._vals[b][pos] = value
            return
        self._keys[b].append((code, key))
        self._vals[b].append(value)
        self._n += 1
        if self._n > 2 * self._slots:
            self._rehash(self._slots * 4)

    def get(self, key, default=None):
        _, b, pos = self._where(key)
        if pos is None:
            return default
        return self._vals[b][pos]

    def remove(self, key):
        _, b, pos = self._where(key)
        if pos is None:
            return False
        keys, vals = self._keys[b], self._vals[b]
        keys[pos], vals[pos] = keys[-1], vals[-1]
        keys.pop()
        vals.pop()
        self._n -= 1
        return True

    def __contains__(self, key):
        return self._where(key)[2] is not None

    def __len__(self):
        return self._n

    def _rehash(self, slots):
        keys = [[] for _ in range(slots)]
        vals = [[] for _ in range(slots)]
        for chain, values in zip(self._keys, self._vals):
            for (code, k), v in zip(chain, values):
                keys[code % slots].append((code, k))
                vals[code % slots].append(v)
        self._slots, self._keys, self._vals = slots, keys, vals
