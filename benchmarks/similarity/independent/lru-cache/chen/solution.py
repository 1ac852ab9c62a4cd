PREV, NEXT, KEY, VALUE = 0, 1, 2, 3


class LRUCache:
    # A circular list of [prev, next, key, value] links around one root link.

    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("capacity must be >= 1")
        self._cap = capacity
        self._links = {}
        root = []
        root[:] = [root, root, None, None]
        self._root = root

    def _move_to_front(self, link):
        link_prev, link_next = link[PREV], link[NEXT]
        link_prev[NEXT] = link_next
        link_next[PREV] = link_prev
        root = self._root
        first = root[NEXT]
        link[PREV], link[NEXT] = root, first
        first[PREV] = link
        root[NEXT] = link

    def get(self, key):
        link = self._links.get(key)
        if link is None:
            return -1
        self._move_to_front(link)
        return link[VALUE]

    def put(self, key, value):
        link = self._links.get(key)
        if link is not None:
            link[VALUE] = value
            self._move_to_front(link)
            return
        root = self._root
        if len(self._links) >= self._cap:
            last = root[PREV]
            last[PREV][NEXT] = root
            root[PREV] = last[PREV]
            del self._links[last[KEY]]
        first = root[NEXT]
        link = [root, first, key, value]
        first[PREV] = link
        root[NEXT] = link
        self._links[key] = link
