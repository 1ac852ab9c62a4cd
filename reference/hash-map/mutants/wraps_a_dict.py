# Right answers, but the entries live in a dict display ({}): forbidden (a rule violation).


class HashMap:
    def __init__(self):
        self._entries = {}

    def put(self, key, value):
        self._entries[key] = value

    def get(self, key, default=None):
        hash(key)
        return self._entries.get(key, default)

    def remove(self, key):
        hash(key)
        if key in self._entries:
            del self._entries[key]
            return True
        return False

    def __contains__(self, key):
        return key in self._entries

    def __len__(self):
        return len(self._entries)
