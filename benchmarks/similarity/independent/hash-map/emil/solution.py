class HashMap:
    def __init__(self):
        self.capacity = 10
        self.size = 0
        self.buckets = []
        for i in range(self.capacity):
            self.buckets.append([])

    def index_for(self, hash_code):
        return hash_code % self.capacity

    def put(self, key, value):
        hash_code = hash(key)
        bucket = self.buckets[self.index_for(hash_code)]
        for pair in bucket:
            if pair[0] == hash_code and (pair[1] is key or pair[1] == key):
                pair[2] = value
                return
        bucket.append([hash_code, key, value])
        self.size = self.size + 1
        # grow when there are more keys than buckets
        if self.size > self.capacity:
            self.grow()

    def grow(self):
        old_buckets = self.buckets
        self.capacity = self.capacity * 2
        self.buckets = []
        for i in range(self.capacity):
            self.buckets.append([])
        for bucket in old_buckets:
            for pair in bucket:
                self.buckets[self.index_for(pair[0])].append(pair)

    def get(self, key, default=None):
        hash_code = hash(key)
        bucket = self.buckets[self.index_for(hash_code)]
        for pair in bucket:
            if pair[0] == hash_code and (pair[1] is key or pair[1] == key):
                return pair[2]
        return default

    def remove(self, key):
        hash_code = hash(key)
        bucket = self.buckets[self.index_for(hash_code)]
        for i in range(len(bucket)):
            pair = bucket[i]
            if pair[0] == hash_code and (pair[1] is key or pair[1] == key):
                bucket.pop(i)
                self.size = self.size - 1
                return True
        return False

    def __contains__(self, key):
        hash_code = hash(key)
        bucket = self.buckets[self.index_for(hash_code)]
        for pair in bucket:
            if pair[0] == hash_code and (pair[1] is key or pair[1] == key):
                return True
        return False

    def __len__(self):
        return self.size
