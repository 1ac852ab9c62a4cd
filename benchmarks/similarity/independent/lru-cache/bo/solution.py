class LRUCache:
    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("capacity < 1")
        self.cap, self.d = capacity, {}

    def get(self, key):
        if key not in self.d:
            return -1
        v = self.d.pop(key)
        self.d[key] = v
        return v

    def put(self, key, value):
        if key in self.d:
            del self.d[key]
        elif len(self.d) >= self.cap:
            del self.d[next(iter(self.d))]
        self.d[key] = value
