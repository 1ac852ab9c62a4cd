_FREE, _GONE = object(), object()


class HashMap:
    # open addressing, linear probing, tombstones; parallel lists

    def __init__(self):
        self._reset(8)

    def _reset(self, n):
        self.h, self.k, self.v = [0] * n, [_FREE] * n, [None] * n
        self.n = self.used = 0

    def _probe(self, key):
        h = hash(key)
        m = len(self.k)
        i = h % m
        tomb = -1
        while True:
            k = self.k[i]
            if k is _FREE:
                return h, i, tomb
            if k is _GONE:
                if tomb < 0:
                    tomb = i
            elif self.h[i] == h and (k is key or k == key):
                return h, i, -2
            i = (i + 1) % m

    def put(self, key, value):
        h, i, t = self._probe(key)
        if t == -2:
            self.v[i] = value
            return
        if t >= 0:
            i = t
        else:
            self.used += 1
        self.h[i], self.k[i], self.v[i] = h, key, value
        self.n += 1
        if self.used * 3 >= len(self.k) * 2:
            self._resize()

    def _resize(self):
        old = [(h, k, v) for h, k, v in zip(self.h, self.k, self.v) if k is not _FREE and k is not _GONE]
        self._reset(max(8, 4 * len(old)))
        m = len(self.k)
        for h, k, v in old:
            i = h % m
            while self.k[i] is not _FREE:
                i = (i + 1) % m
            self.h[i], self.k[i], self.v[i] = h, k, v
        self.n = self.used = len(old)

    def get(self, key, default=None):
        _, i, t = self._probe(key)
        return self.v[i] if t == -2 else default

    def remove(self, key):
        _, i, t = self._probe(key)
        if t != -2:
            return False
        self.k[i], self.v[i] = _GONE, None
        self.n -= 1
        return True

    def __contains__(self, key):
        return self._probe(key)[2] == -2

    def __len__(self):
        return self.n
