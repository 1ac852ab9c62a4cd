class Node:
    def __init__(self, key, value):
        self.key = key
        self.value = value
        self.prev = None
        self.next = None


class LRUCache:
    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("the capacity has to be 1 or more")
        self.capacity = capacity
        self.map = {}
        # head is the most recently used node, tail the least recently used
        self.head = None
        self.tail = None

    def remove_node(self, node):
        if node.prev is not None:
            node.prev.next = node.next
        else:
            self.head = node.next
        if node.next is not None:
            node.next.prev = node.prev
        else:
            self.tail = node.prev

    def add_at_head(self, node):
        node.prev = None
        node.next = self.head
        if self.head is not None:
            self.head.prev = node
        self.head = node
        if self.tail is None:
            self.tail = node

    def get(self, key):
        if key not in self.map:
            return -1
        node = self.map[key]
        self.remove_node(node)
        self.add_at_head(node)
        return node.value

    def put(self, key, value):
        if key in self.map:
            node = self.map[key]
            node.value = value
            self.remove_node(node)
            self.add_at_head(node)
            return
        if len(self.map) >= self.capacity:
            # throw away the least recently used one
            old = self.tail
            self.remove_node(old)
            del self.map[old.key]
        new_node = Node(key, value)
        self.map[key] = new_node
        self.add_at_head(new_node)
