import random


class QuickSorter:
    INSERTION_CUTOFF = 12

    def __init__(self, data):
        self.data = data
        self.rng = random.Random()

    def insertion_sort(self, low, high):
        data = self.data
        for i in range(low + 1, high + 1):
            item = data[i]
            j = i - 1
            while j >= low and data[j] > item:
                data[j + 1] = data[j]
                j -= 1
            data[j + 1] = item

    def three_way(self, low, high):
        data = self.data
        pivot = data[self.rng.randint(low, high)]
        lt = low
        gt = high
        i = low
        while i <= gt:
            if data[i] < pivot:
                data[lt], data[i] = data[i], data[lt]
                lt += 1
                i += 1
            elif data[i] > pivot:
                data[gt], data[i] = data[i], data[gt]
                gt -= 1
            else:
                i += 1
        return lt, gt

    def run(self):
        ranges = [(0, len(self.data) - 1)]
        while ranges:
            low, high = ranges.pop()
            if high - low < self.INSERTION_CUTOFF:
                self.insertion_sort(low, high)
                continue
            lt, gt = self.three_way(low, high)
            left = (low, lt - 1)
            right = (gt + 1, high)
            if lt - low > high - gt:
                ranges.append(left)
                ranges.append(right)
            else:
                ranges.append(right)
                ranges.append(left)


def quicksort(arr):
    QuickSorter(arr).run()
