class ListNode:
    __slots__ = ("key", "val", "left", "right")

    def __init__(self, key, val):
        self.key, self.val = key, val
        self.left = self.right = None


class DoublyLinkedList:
    def __init__(self):
        self.first = None
        self.last = None

    def push_back(self, node):
        node.left, node.right = self.last, None
        if self.last is None:
            self.first = node
        else:
            self.last.right = node
        self.last = node

    def unlink(self, node):
        if node.left is None:
            self.first = node.right
        else:
            node.left.right = node.right
        if node.right is None:
            self.last = node.left
        else:
            node.right.left = node.left
        node.left = node.right = None

    def pop_front(self):
        node = self.first
        self.unlink(node)
        return node


class LRUCache:
    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("LRUCache needs a capacity of at least 1")
        self.capacity = capacity
        self.lookup = {}
        self.order = DoublyLinkedList()

    def touch(self, node):
        self.order.unlink(node)
        self.order.push_back(node)

    def get(self, key):
        if key in self.lookup:
            node = self.lookup[key]
            self.touch(node)
            return node.val
        return -1

    def put(self, key, value):
        if key in self.lookup:
            node = self.lookup[key]
            node.val = value
            self.touch(node)
        else:
            if len(self.lookup) == self.capacity:
                evicted = self.order.pop_front()
                self.lookup.pop(evicted.key)
            node = ListNode(key, value)
            self.lookup[key] = node
            self.order.push_back(node)
