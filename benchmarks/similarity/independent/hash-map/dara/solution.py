class Slot:
    __slots__ = ("digest", "key", "value", "deleted")

    def __init__(self, digest, key, value):
        self.digest = digest
        self.key = key
        self.value = value
        self.deleted = False


class HashMap:
    """Open addressing over a power-of-two table with triangular probing."""

    MIN_CAPACITY = 8

    def __init__(self):
        self.slots = [None] * self.MIN_CAPACITY
        self.live = 0
        self.occupied = 0

    def locate(self, key):
        digest = hash(key)
        mask = len(self.slots) - 1
        index = digest & mask
        step = 0
        first_deleted = None
        while True:
            slot = self.slots[index]
            if slot is None:
                return digest, (index if first_deleted is None else first_deleted), None
            if slot.deleted:
                if first_deleted is None:
                    first_deleted = index
            elif slot.digest == digest and (slot.key is key or slot.key == key):
                return digest, index, slot
            step += 1
            index = (index + step) & mask

    def put(self, key, value):
        digest, index, slot = self.locate(key)
        if slot is not None:
            slot.value = value
            return
        if self.slots[index] is None:
            self.occupied += 1
        self.slots[index] = Slot(digest, key, value)
        self.live += 1
        if self.occupied * 3 > len(self.slots) * 2:
            self.rebuild()

    def rebuild(self):
        survivors = [s for s in self.slots if s is not None and not s.deleted]
        capacity = self.MIN_CAPACITY
        while capacity * 2 <= len(survivors) * 3:
            capacity *= 2
        capacity *= 2
        self.slots = [None] * capacity
        mask = capacity - 1
        for slot in survivors:
            index = slot.digest & mask
            step = 0
            while self.slots[index] is not None:
                step += 1
                index = (index + step) & mask
            self.slots[index] = slot
        self.live = self.occupied = len(survivors)

    def get(self, key, default=None):
        slot = self.locate(key)[2]
        return default if slot is None else slot.value

    def remove(self, key):
        slot = self.locate(key)[2]
        if slot is None:
            return False
        slot.deleted = True
        slot.value = None
        self.live -= 1
        return True

    def __contains__(self, key):
        return self.locate(key)[2] is not None

    def __len__(self):
        return self.live
