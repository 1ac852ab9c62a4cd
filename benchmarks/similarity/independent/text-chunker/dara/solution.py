class Chunker:
    def __init__(self, size, overlap):
        if size < 1:
            raise ValueError("chunk size must be positive")
        if overlap < 0:
            raise ValueError("overlap cannot be negative")
        if overlap >= size:
            raise ValueError("overlap must be smaller than the chunk size")
        self.size = size
        self.stride = size - overlap

    def count(self, length):
        if length == 0:
            return 0
        if length <= self.size:
            return 1
        return 1 + -(-(length - self.size) // self.stride)

    def split(self, tokens):
        return [tokens[n * self.stride:n * self.stride + self.size]
                for n in range(self.count(len(tokens)))]


def chunk(tokens, size, overlap):
    return Chunker(size, overlap).split(tokens)
