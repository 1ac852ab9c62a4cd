"""linked-list-cycle's helpers inside the sandbox (shipped with the agent,
registered by name in FIXTURES): build the lists where the submission runs,
and say what a returned node is. They run beside the submission, so the
hidden tests judge what they report as the submission's answer, nothing more.
Standard library only."""

class ListNode:
    """The grader's own node: ``val`` and ``next`` only."""

    __slots__ = ("val", "next")

    def __init__(self, val, next=None):
        self.val = val
        self.next = next

    def __repr__(self):
        return "ListNode(%r)" % (self.val,)


def fixture_linked_list(agent, values, cycle_at=None):
    """Build a list of ListNode; the tail links back to node ``cycle_at``."""
    nodes = [ListNode(v) for v in values]
    for node, following in zip(nodes, nodes[1:]):
        node.next = following
    if nodes and cycle_at is not None:
        nodes[-1].next = nodes[cycle_at]
    if not nodes:
        return None
    agent.scratch.setdefault("lists", {})[id(nodes[0])] = nodes
    return nodes[0]


def fixture_node_position(agent, head, node):
    """Where ``node`` sits in the list built from ``head``: an index, None,
    or a description of what else it is."""
    if node is None:
        return None
    nodes = agent.scratch.get("lists", {}).get(id(head), [])
    for index, candidate in enumerate(nodes):
        if candidate is node:
            return index
    return "not a node of the list (a %s)" % type(node).__name__


def fixture_linked_list_shape(agent, head):
    """[[val, index of next or None], ...] for every node built from ``head``."""
    nodes = agent.scratch.get("lists", {}).get(id(head), [])
    index_of = {id(n): i for i, n in enumerate(nodes)}
    shape = []
    for node in nodes:
        following = node.next
        if following is None:
            link = None
        else:
            link = index_of.get(id(following), "foreign")
        shape.append([node.val, link])
    return shape


FIXTURES = {
    "linked_list": fixture_linked_list,
    "node_position": fixture_node_position,
    "linked_list_shape": fixture_linked_list_shape,
}
