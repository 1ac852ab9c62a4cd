"""Hidden tests for min-heap: every sentence of the contract, against a model."""

from hypothesis import given, strategies as st

from grader.harness.program import Program

# A narrow range so that duplicates are common; negatives included.
values = st.integers(min_value=-20, max_value=20)
item_lists = st.lists(values, max_size=30)
# (name, value): the value is used by insert only; insert is drawn twice as often. Tuples of two cheap draws
# keep generation fast.
operations = st.lists(
    st.tuples(st.sampled_from(["insert", "insert", "extract_min", "peek", "__len__"]), values),
    max_size=40,
)


class Model:
    """The simplest correct min heap: a list kept in ascending order."""

    def __init__(self, items=()):
        self.values = sorted(items)

    def insert(self, val):
        index = 0
        while index < len(self.values) and self.values[index] <= val:
            index += 1
        self.values.insert(index, val)

    def extract_min(self):
        return self.values.pop(0) if self.values else None

    def peek(self):
        return self.values[0] if self.values else None

    def __len__(self):
        return len(self.values)


# Quoted by a wrong extract_min or peek: every test checks them along the way.
SMALLEST = "extract_min removes and returns the smallest value; peek returns it without removing."
EMPTY = "Both return None on an empty heap."


def answers(program, heap, name, expected):
    """h.name() must return ``expected``."""
    step = program.method(heap, name).expect(expected)
    if name != "__len__":
        step.cites(EMPTY if expected is None else SMALLEST)


def new_heap(program, items=None):
    """h = MinHeap() or h = MinHeap(items)."""
    if items is None:
        return program.new("MinHeap", name="h")
    return program.new("MinHeap", items, name="h")


def drain(program, heap, expected):
    """Extract every value, expecting them in ascending order, then None."""
    for value in expected:
        answers(program, heap, "extract_min", value)
    answers(program, heap, "extract_min", None)


@given(start=st.one_of(st.none(), st.lists(values, max_size=12)), ops=operations)
def test_behaves_like_a_min_heap(candidate, start, ops):
    """Any mix of insert, extract_min, peek and len behaves like a reference min heap."""
    program = Program()
    model = Model(start or ())
    heap = new_heap(program, start)
    for name, value in ops:
        if name == "insert":
            program.method(heap, "insert", value)
            model.insert(value)
        else:
            answers(program, heap, name, getattr(model, name)())
    candidate.check(program)


@given(items=item_lists, as_tuple=st.booleans())
def test_heapify_builds_a_heap_from_the_items(candidate, items, as_tuple):
    """MinHeap(items) builds the heap from the items (heapify)."""
    program = Program()
    heap = new_heap(program, tuple(items) if as_tuple else items)
    answers(program, heap, "__len__", len(items))
    answers(program, heap, "peek", min(items) if items else None)
    drain(program, heap, sorted(items))
    candidate.check(program)


@given(start=st.lists(values, max_size=15), inserted=st.lists(values, min_size=1, max_size=15))
def test_extract_min_removes_and_returns_the_smallest_value(candidate, start, inserted):
    """extract_min removes and returns the smallest value."""
    program = Program()
    heap = new_heap(program, start)
    for value in inserted:
        program.method(heap, "insert", value)
    ordered = sorted(start + inserted)
    answers(program, heap, "extract_min", ordered[0])
    answers(program, heap, "__len__", len(ordered) - 1)
    drain(program, heap, ordered[1:])
    candidate.check(program)


@given(items=st.lists(values, min_size=1, max_size=30))
def test_peek_returns_the_smallest_value_without_removing_it(candidate, items):
    """peek returns the smallest value without removing it."""
    program = Program()
    heap = new_heap(program)
    for value in items:
        program.method(heap, "insert", value)
    smallest = min(items)
    answers(program, heap, "peek", smallest)
    answers(program, heap, "peek", smallest)
    answers(program, heap, "__len__", len(items))
    answers(program, heap, "extract_min", smallest)
    candidate.check(program)


@given(value=values, copies=st.integers(min_value=2, max_value=6), others=st.lists(values, max_size=10))
def test_duplicates_are_allowed(candidate, value, copies, others):
    """Duplicates are allowed: each copy is held, counted and extracted."""
    program = Program()
    heap = new_heap(program, others)
    for _ in range(copies):
        program.method(heap, "insert", value)
    answers(program, heap, "__len__", len(others) + copies)
    drain(program, heap, sorted(others + [value] * copies))
    candidate.check(program)


@given(items=st.lists(values, max_size=20), later=values, from_empty_list=st.booleans())
def test_extract_min_and_peek_return_none_on_an_empty_heap(candidate, items, later, from_empty_list):
    """Both extract_min and peek return None on an empty heap."""
    program = Program()
    heap = new_heap(program, [] if from_empty_list else None)
    answers(program, heap, "peek", None)
    answers(program, heap, "extract_min", None)
    answers(program, heap, "__len__", 0)
    for value in items:
        program.method(heap, "insert", value)
    drain(program, heap, sorted(items))
    answers(program, heap, "peek", None)
    answers(program, heap, "__len__", 0)
    program.method(heap, "insert", later)
    answers(program, heap, "peek", later)
    answers(program, heap, "__len__", 1)
    candidate.check(program)


@given(start=st.lists(values, max_size=15), inserted=st.lists(values, max_size=15),
       split=st.integers(min_value=0, max_value=30))
def test_len_is_the_number_of_values_held(candidate, start, inserted, split):
    """len is the number of values held, after construction, inserts and extractions."""
    extracted = split % (len(start) + len(inserted) + 1)  # how many values to extract
    program = Program()
    heap = new_heap(program, start)
    answers(program, heap, "__len__", len(start))
    for count, value in enumerate(inserted, start=1):
        program.method(heap, "insert", value)
        answers(program, heap, "__len__", len(start) + count)
    remaining = sorted(start + inserted)
    for count in range(extracted):
        answers(program, heap, "extract_min", remaining[count])
        answers(program, heap, "__len__", len(remaining) - count - 1)
    candidate.check(program)
