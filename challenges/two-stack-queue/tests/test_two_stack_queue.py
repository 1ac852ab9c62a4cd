"""Hidden tests for two-stack-queue: every sentence of the contract, against a model."""

from hypothesis import given, strategies as st

from grader.harness.program import Program, Raises

# Items of several types, falsy ones included, so that a queue must never
# confuse an item with "empty". Drawn from a fixed pool: cheap to generate,
# and counterexamples shrink towards 0, 1, 2, ...
items = st.sampled_from([
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, 42, "a", "b", "xy", "", None, (1, 2), ("a", 0), (), False, True, 2.5,
])
item_lists = st.lists(items, max_size=12)
# (name, item): the item is used by enqueue only; enqueue is drawn twice as often. Tuples of two cheap draws
# keep generation fast.
operations = st.lists(
    st.tuples(st.sampled_from(["enqueue", "enqueue", "dequeue", "peek", "__len__"]), items),
    max_size=30,
)


class Model:
    """The simplest correct queue: a Python list, oldest item first."""

    def __init__(self):
        self.items = []

    def enqueue(self, x):
        self.items.append(x)

    def dequeue(self):
        return self.items.pop(0) if self.items else Raises(IndexError)

    def peek(self):
        return self.items[0] if self.items else Raises(IndexError)

    def __len__(self):
        return len(self.items)


# Quoted by a wrong dequeue or peek: every test checks them along the way.
OLDEST = "First in, first out. dequeue removes and returns the oldest item; peek returns it without removing."
EMPTY = "Both raise IndexError on an empty queue."


def answers(program, queue, name, expected):
    """q.name() must return ``expected`` (or raise it, a ``Raises``)."""
    step = program.method(queue, name).expect(expected)
    if name != "__len__":
        step.cites(EMPTY if isinstance(expected, Raises) else OLDEST)


def new_queue(program):
    """q = QueueWithStacks()."""
    return program.new("QueueWithStacks", name="q")


def drain(program, queue, expected):
    """Dequeue every item, expecting them oldest first, then IndexError."""
    for item in expected:
        answers(program, queue, "dequeue", item)
    answers(program, queue, "dequeue", Raises(IndexError))


@given(ops=operations)
def test_behaves_like_a_fifo_queue(candidate, ops):
    """Any mix of enqueue, dequeue, peek and len behaves like a reference FIFO queue."""
    program = Program()
    model = Model()
    queue = new_queue(program)
    for name, item in ops:
        if name == "enqueue":
            program.method(queue, "enqueue", item)
            model.enqueue(item)
        else:
            answers(program, queue, name, getattr(model, name)())
    candidate.check(program)


@given(enqueued=st.lists(items, min_size=1, max_size=20))
def test_first_in_first_out(candidate, enqueued):
    """First in, first out: items are dequeued in the order they were enqueued."""
    program = Program()
    queue = new_queue(program)
    for item in enqueued:
        program.method(queue, "enqueue", item)
    drain(program, queue, enqueued)
    candidate.check(program)


@given(first=st.lists(items, min_size=1, max_size=10), second=st.lists(items, min_size=1, max_size=10),
       split=st.integers(min_value=0, max_value=30))
def test_dequeue_removes_and_returns_the_oldest_item(candidate, first, second, split):
    """dequeue removes and returns the oldest item, also when enqueues and dequeues alternate."""
    taken = 1 + split % len(first)  # dequeued before the second batch
    program = Program()
    queue = new_queue(program)
    for item in first:
        program.method(queue, "enqueue", item)
    for item in first[:taken]:
        answers(program, queue, "dequeue", item)
    for item in second:
        program.method(queue, "enqueue", item)
    answers(program, queue, "__len__", len(first) - taken + len(second))
    drain(program, queue, first[taken:] + second)
    candidate.check(program)


@given(enqueued=st.lists(items, min_size=1, max_size=15), split=st.integers(min_value=0, max_value=30))
def test_peek_returns_the_oldest_item_without_removing_it(candidate, enqueued, split):
    """peek returns the oldest item without removing it."""
    taken = split % len(enqueued)  # dequeued before peeking
    program = Program()
    queue = new_queue(program)
    for item in enqueued:
        program.method(queue, "enqueue", item)
    for item in enqueued[:taken]:
        answers(program, queue, "dequeue", item)
    answers(program, queue, "peek", enqueued[taken])
    answers(program, queue, "peek", enqueued[taken])
    answers(program, queue, "__len__", len(enqueued) - taken)
    drain(program, queue, enqueued[taken:])
    candidate.check(program)


@given(enqueued=item_lists, later=items)
def test_dequeue_and_peek_raise_index_error_on_an_empty_queue(candidate, enqueued, later):
    """Both dequeue and peek raise IndexError on an empty queue."""
    program = Program()
    queue = new_queue(program)
    answers(program, queue, "peek", Raises(IndexError))
    answers(program, queue, "dequeue", Raises(IndexError))
    answers(program, queue, "__len__", 0)
    for item in enqueued:
        program.method(queue, "enqueue", item)
    drain(program, queue, enqueued)
    answers(program, queue, "peek", Raises(IndexError))
    answers(program, queue, "__len__", 0)
    program.method(queue, "enqueue", later)
    answers(program, queue, "peek", later)
    answers(program, queue, "dequeue", later)
    candidate.check(program)


@given(falsy=st.permutations([None, 0, "", (), False, 0.0]), rest=item_lists)
def test_items_may_be_any_object(candidate, falsy, rest):
    """The queue holds any items, None and other falsy values included, and returns them unchanged."""
    program = Program()
    queue = new_queue(program)
    enqueued = list(falsy) + rest
    for item in enqueued:
        program.method(queue, "enqueue", item)
    answers(program, queue, "__len__", len(enqueued))
    answers(program, queue, "peek", enqueued[0])
    drain(program, queue, enqueued)
    candidate.check(program)


@given(first=item_lists, second=item_lists, split=st.integers(min_value=0, max_value=30))
def test_len_is_the_number_of_items(candidate, first, second, split):
    """len is the number of items in the queue, after enqueues and dequeues."""
    taken = split % (len(first) + 1)  # dequeued before the second batch
    program = Program()
    queue = new_queue(program)
    answers(program, queue, "__len__", 0)
    for count, item in enumerate(first, start=1):
        program.method(queue, "enqueue", item)
        answers(program, queue, "__len__", count)
    for count, item in enumerate(first[:taken], start=1):
        answers(program, queue, "dequeue", item)
        answers(program, queue, "__len__", len(first) - count)
    held = len(first) - taken
    for count, item in enumerate(second, start=1):
        program.method(queue, "enqueue", item)
        answers(program, queue, "__len__", held + count)
    candidate.check(program)
