"""Decoding the sandbox's value tables on the host, with every walk bounded.

The agent's ``encode`` turns a return value into a flat table of nodes
(``[tag, payload]``, children named by index). An honest agent can only send
tables that real Python values make; the submission shares its process and
may send anything else. So before one object is built, the table is checked:
known tags, payloads of the right type, child indexes in range, no tuple or
frozenset that contains itself (no real value can), members of sets and keys
of dicts hashable, and budgets on size and nesting depth, all without
recursion. What breaks the rules of the codec is an ``InvalidTable`` (a
forged reply); what is real but too big to judge is ``TooLargeToCheck``.
"""

from __future__ import annotations

from operator import itemgetter

from grader.agent.agent import IterableProbe, ListSubclass, Opaque, Probe, Ref

# Honest hidden-test values have at most a few hundred nodes; the agent refuses
# to encode more than its own MAX_NODES, which is kept equal to this.
MAX_TABLE_NODES = 200_000
# Nesting of returned values, counted along the longest chain of containers.
# Host code compares and prints values with Python's own (recursive) ==, hash
# and repr, which must stay well inside the recursion limit.
MAX_VALUE_DEPTH = 200
# Values written out in full, shared parts counted each time they appear: what
# repr, ==, hash and the hidden tests' own checks walk. A table of 41 tuples each
# holding the next twice stands for 2**40 values (hashing it never ends).
MAX_EXPANDED_VALUES = 100_000
MAX_SCALAR_CHARS = 1 << 20      # one string, bytes or type name (hex counts twice)

_CONTAINERS = {"L", "LS", "T", "E", "Z"}
_IMMUTABLE = {"T", "Z"}
_MUTABLE = {"L": list, "LS": ListSubclass, "D": dict, "E": set}
_SCALARS = {"N", "B", "I", "F", "S", "SX", "Y", "P", "PI", "O", "R"}


class InvalidTable(ValueError):
    """The table could not come from any real value: the reply was forged."""


class TooLargeToCheck(ValueError):
    """A real value, but too large or too deeply nested to judge."""


def _children(index: int, node: list, count: int) -> list[int]:
    tag = node[0]
    payload = node[1]
    if not isinstance(payload, list):
        raise InvalidTable(f"node {index}: a {tag} node needs a list of members")
    if tag == "D":
        flat = []
        for pair in payload:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise InvalidTable(f"node {index}: a dict item must be a [key, value] pair")
            flat.extend(pair)
        members = flat
    else:
        members = payload
    for member in members:
        if type(member) is not int or not 0 <= member < count:
            raise InvalidTable(f"node {index}: member {member!r} is not a node of the table")
    return members


def _check_scalar(index: int, node: list) -> None:
    tag = node[0]
    if tag == "N":
        if len(node) != 1:
            raise InvalidTable(f"node {index}: None carries no payload")
        return
    if len(node) != 2:
        raise InvalidTable(f"node {index}: a {tag} node needs one payload")
    payload = node[1]
    expected = {"B": bool, "I": int, "F": float, "S": str, "SX": str, "Y": str, "P": int, "PI": int,
                "O": str, "R": str}[tag]
    if type(payload) is not expected:
        raise InvalidTable(f"node {index}: a {tag} node's payload must be a {expected.__name__}")
    if isinstance(payload, str) and len(payload) > MAX_SCALAR_CHARS:
        raise TooLargeToCheck(f"a text of {len(payload):,} characters")


def check_table(nodes) -> list[list[int]]:
    """Validate the table's shape; return each node's children (by index)."""
    if not isinstance(nodes, list) or not nodes:
        raise InvalidTable("a value must be a non-empty list of nodes")
    if len(nodes) > MAX_TABLE_NODES:
        raise TooLargeToCheck(f"more than {MAX_TABLE_NODES:,} values")
    children: list[list[int]] = []
    count = len(nodes)
    for index, node in enumerate(nodes):
        if not isinstance(node, list) or not node or not isinstance(node[0], str):
            raise InvalidTable(f"node {index} is not a [tag, payload] pair")
        tag = node[0]
        if tag in _CONTAINERS or tag == "D":
            if len(node) != 2:
                raise InvalidTable(f"node {index}: a {tag} node needs one payload")
            children.append(_children(index, node, count))
        elif tag in _SCALARS:
            _check_scalar(index, node)
            children.append([])
        else:
            raise InvalidTable(f"node {index}: unknown tag {tag[:20]!r}")
    return children


def _walk(nodes: list, children: list[list[int]]) -> list[int]:
    """The nodes reachable from node 0, children before parents, with the
    nesting depth checked along the longest chain and the size written out
    (shared parts counted each time). Cycles (a list may contain itself)
    stop the walk where they close, and count as one value there."""
    WHITE, GREY, BLACK = 0, 1, 2
    state = [WHITE] * len(nodes)
    height = [0] * len(nodes)
    expanded = [1] * len(nodes)
    order: list[int] = []
    stack = [(0, 0)]
    state[0] = GREY
    while stack:
        index, position = stack[-1]
        kids = children[index]
        if position < len(kids):
            stack[-1] = (index, position + 1)
            child = kids[position]
            if state[child] == WHITE:
                state[child] = GREY
                stack.append((child, 0))
            continue
        stack.pop()
        state[index] = BLACK
        if kids:
            height[index] = 1 + max(height[k] for k in kids)
            if height[index] > MAX_VALUE_DEPTH:
                raise TooLargeToCheck(f"nested more than {MAX_VALUE_DEPTH} levels deep")
            expanded[index] = 1 + sum(expanded[k] if state[k] == BLACK else 1 for k in kids)
            if expanded[index] > MAX_EXPANDED_VALUES:
                raise TooLargeToCheck(f"its shared parts make it more than {MAX_EXPANDED_VALUES:,} values "
                                      "when written out")
        order.append(index)
    return order


def _immutable_order(nodes: list, children: list[list[int]], reachable: list[int]) -> list[int]:
    """An order in which tuples and frozensets can be built: each after the
    tuples and frozensets inside it (lists, dicts and sets exist, empty,
    from the start). A tuple that contains itself through tuples and
    frozensets alone is impossible, so it is refused."""
    WHITE, GREY, BLACK = 0, 1, 2
    state = [WHITE] * len(nodes)
    order: list[int] = []
    for root in reachable:
        if nodes[root][0] not in _IMMUTABLE or state[root] != WHITE:
            continue
        stack = [(root, 0)]
        state[root] = GREY
        while stack:
            index, position = stack[-1]
            kids = children[index]
            if position < len(kids):
                stack[-1] = (index, position + 1)
                child = kids[position]
                if nodes[child][0] in _IMMUTABLE:
                    if state[child] == GREY:
                        raise InvalidTable(f"node {child}: a tuple or frozenset that contains itself")
                    if state[child] == WHITE:
                        state[child] = GREY
                        stack.append((child, 0))
                continue
            stack.pop()
            state[index] = BLACK
            order.append(index)
    return order


def _scalar(node: list, probes: dict):
    tag = node[0]
    if tag == "N":
        return None
    if tag in ("B", "I", "F", "S"):
        return node[1]
    try:
        if tag == "Y":
            return bytes.fromhex(node[1])
        if tag == "SX":
            return bytes.fromhex(node[1]).decode("utf-32-le", "surrogatepass")
    except ValueError:
        raise InvalidTable(f"a {tag} node holds malformed hex") from None
    if tag in ("P", "PI"):
        key = (tag, node[1])
        if key not in probes:
            probes[key] = (IterableProbe if tag == "PI" else Probe)(node[1])
        return probes[key]
    if tag == "O":
        return Opaque(node[1][:200])
    return Ref(node[1][:200])     # "R": only the agent's own Ref class makes one


# The flat shape: a list, tuple or set of plain scalars, the shape of every
# large value the hidden tests read back (a sorted list of 100,000 ints).
_FLAT_CONTAINERS = {"L": list, "LS": ListSubclass, "T": tuple, "E": set, "Z": frozenset}
_FLAT_LEAVES = {("I", int), ("F", float), ("S", str), ("B", bool)}
_NOT_FLAT = object()
_first, _second = itemgetter(0), itemgetter(1)


def _decode_flat(nodes):
    """The fast path: node 0 a list, tuple or set whose members are nodes 1
    to n-1 in order, each an int, float, str or bool node of the exact type
    its tag says (what the agent's ``encode`` makes of such a value). It
    checks the same rules as the general path, with loops that run in C
    (``map``, ``set``). Anything else, hostile or merely not of this shape,
    is ``_NOT_FLAT``, and the general path checks it and says what is wrong."""
    count = len(nodes) if type(nodes) is list else 0
    if not 2 <= count <= MAX_EXPANDED_VALUES:      # beyond: the general path's TooLargeToCheck
        return _NOT_FLAT
    head = nodes[0]
    if type(head) is not list or len(head) != 2 or type(head[0]) is not str \
            or head[0] not in _FLAT_CONTAINERS or type(head[1]) is not list:
        return _NOT_FLAT
    members = head[1]
    # Exact ints (True == 1, 1.0 == 1: the types are checked too), exactly 1 .. count - 1.
    if len(members) != count - 1 or set(map(type, members)) != {int} or members != list(range(1, count)):
        return _NOT_FLAT
    leaves = nodes[1:]
    if set(map(type, leaves)) != {list} or set(map(len, leaves)) != {2}:
        return _NOT_FLAT
    tags = list(map(_first, leaves))
    if set(map(type, tags)) != {str}:
        return _NOT_FLAT
    values = list(map(_second, leaves))
    if not set(zip(tags, map(type, values))) <= _FLAT_LEAVES:
        return _NOT_FLAT
    if "S" in tags and max(len(value) for value in values if type(value) is str) > MAX_SCALAR_CHARS:
        return _NOT_FLAT
    container = _FLAT_CONTAINERS[head[0]]
    if container is ListSubclass:
        built = ListSubclass()
        built.extend(values)
        return built
    return container(values)


def _decode_packed(nodes):
    """A list of exact ints packed in the table's one node, ``["LI", [ints]]``
    (the agent's ``encode`` of a long one), or ``_NOT_FLAT``. "LI" is valid
    nowhere else: in a larger table the general path refuses the tag."""
    if type(nodes) is not list or len(nodes) != 1:
        return _NOT_FLAT
    head = nodes[0]
    if type(head) is not list or len(head) != 2 or type(head[0]) is not str or head[0] != "LI":
        return _NOT_FLAT
    values = head[1]
    if type(values) is not list:
        raise InvalidTable("node 0: an LI node needs a list of ints")
    if len(values) + 1 > MAX_EXPANDED_VALUES:       # the list and its items, as the general path counts
        raise TooLargeToCheck(f"more than {MAX_EXPANDED_VALUES:,} values")
    if values and set(map(type, values)) != {int}:      # exact ints: not bool, not float
        raise InvalidTable("node 0: an LI node holds ints only")
    return values


def decode_checked(nodes, probes: dict | None = None):
    """The value a reply's node table stands for, or InvalidTable /
    TooLargeToCheck. Bounded in time and memory by the table's size."""
    flat = _decode_flat(nodes)
    if flat is _NOT_FLAT:
        flat = _decode_packed(nodes)
    if flat is not _NOT_FLAT:
        return flat
    return decode_general(nodes, probes)


def decode_general(nodes, probes: dict | None = None):
    """``decode_checked`` for any table: every node checked and walked."""
    children = check_table(nodes)
    order = _walk(nodes, children)
    probes = {} if probes is None else probes
    built: dict[int, object] = {}
    for index in order:
        tag = nodes[index][0]
        if tag in _MUTABLE:
            built[index] = _MUTABLE[tag]()
        elif tag not in _IMMUTABLE:
            built[index] = _scalar(nodes[index], probes)
    try:
        for index in _immutable_order(nodes, children, order):
            members = (built[i] for i in nodes[index][1])
            built[index] = tuple(members) if nodes[index][0] == "T" else frozenset(members)
        for index in order:
            node = nodes[index]
            tag = node[0]
            if tag in ("L", "LS"):
                built[index].extend(built[i] for i in node[1])
            elif tag == "E":
                built[index].update(built[i] for i in node[1])
            elif tag == "D":
                target = built[index]
                for key_index, value_index in node[1]:
                    target[built[key_index]] = built[value_index]
    except TypeError:
        raise InvalidTable("a set member or dict key that is not hashable") from None
    except RecursionError:                    # pragma: no cover - the depth budget prevents it
        raise TooLargeToCheck("nested too deeply") from None
    return built[0]

