"""hash-map's helpers inside the sandbox: keys that cannot cross as data.

``colliding_key(label, hash_value)`` is a new object whose ``__hash__`` is
the constant ``hash_value`` and that equals exactly the colliding keys with
the same label: two calls with the same label give two distinct but equal
keys (so a map comparing keys with ``is`` misses), and keys with different
labels collide without being equal (so a map must keep both). They run beside
the submission, so the hidden tests judge only what the map answers.
Standard library only."""


class CollidingKey:
    """A key with a constant hash, equal to the colliding keys of its label."""

    __slots__ = ("label", "hash_value")

    def __init__(self, label, hash_value):
        self.label = label
        self.hash_value = hash_value

    def __hash__(self):
        return self.hash_value

    def __eq__(self, other):
        if type(other) is not CollidingKey:
            return NotImplemented
        return self.label == other.label

    def __ne__(self, other):
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __repr__(self):
        return "CollidingKey(%r, hash=%r)" % (self.label, self.hash_value)


def fixture_colliding_key(agent, label, hash_value=7):
    if type(label) is not str or type(hash_value) is not int:
        raise TypeError("colliding_key(label: str, hash_value: int)")
    return CollidingKey(label, hash_value)


FIXTURES = {"colliding_key": fixture_colliding_key}
