class MinHeap:
    def __init__(self, items=()):
        self.a = a = list(items)
        for i in reversed(range(len(a) // 2)):
            self._down(i)

    def _down(self, i):
        a, n = self.a, len(self.a)
        while 2 * i + 1 < n:
            c = 2 * i + 1
            if c + 1 < n and a[c + 1] < a[c]:
                c += 1
            if a[i] <= a[c]:
                break
            a[i], a[c] = a[c], a[i]
            i = c

    def insert(self, val):
        a = self.a
        a.append(val)
        i = len(a) - 1
        while i and a[(i - 1) >> 1] > a[i]:
            p = (i - 1) >> 1
            a[i], a[p] = a[p], a[i]
            i = p

    def extract_min(self):
        a = self.a
        if not a:
            return None
        a[0], a[-1] = a[-1], a[0]
        m = a.pop()
        self._down(0)
        return m

    def peek(self):
        return self.a[0] if self.a else None

    def __len__(self):
        return len(self.a)
