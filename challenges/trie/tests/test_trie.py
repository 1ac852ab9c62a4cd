"""Hidden tests for trie: every sentence of the contract, against a set of words."""

from hypothesis import given, strategies as st

from grader.harness.program import Program

# A small alphabet so that words share prefixes often: ASCII in both cases,
# Latin letters outside ASCII, a CJK character and one outside the BMP.
# A list of words is drawn as one text split at "|" (cheaper than a list of
# texts), so empty words come up naturally.
ALPHABET = "abAéß日😀"
words = st.text(alphabet=ALPHABET, max_size=4)
word_lists = st.text(alphabet=ALPHABET + "|", max_size=12).map(lambda text: text.split("|"))
nonempty_word_lists = word_lists.map(lambda pool: [word for word in pool if word])


def high_only(char):
    """Turn a low surrogate into a high one. A lone high surrogate directly
    followed by a lone low one does not yet cross the sandbox boundary as two
    code points (the JSON channel joins them into one character)."""
    return chr(ord(char) - 0x400) if "\udc00" <= char <= "\udfff" else char


# Any Unicode text: letters of every script and case, marks, digits,
# punctuation, symbols, spaces, controls, characters outside the BMP and
# (rarely here, so the test adds one) lone surrogates.
any_text = st.text(st.characters(categories=["L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Cs"]), max_size=6).map(
    lambda text: "".join(map(high_only, text)))

OPERATIONS = ["insert", "search", "starts_with"]

# The contract's sentences, quoted by a failing call: a test reaches calls its
# own name does not speak of (the empty-word test inserts other words first).
ANY_WORD = "Words are any Python strings (any Unicode)."
EMPTY_WORD = "The empty word may be inserted and searched."
SEARCH = "search is True only for a word that was inserted (not for a mere prefix)."
STARTS_WITH = "starts_with(prefix) is True when some inserted word starts with prefix"
STARTS_WITH_EMPTY = 'starts_with("") is True once any word was inserted.'


def sentence(op, text, expected=None):
    """The sentence of the contract that ``op(text)`` answering ``expected`` keeps."""
    if op == "starts_with":
        return STARTS_WITH_EMPTY if text == "" else STARTS_WITH
    if text == "" and expected is not False:
        return EMPTY_WORD
    return ANY_WORD if op == "insert" else SEARCH


def insert(program, trie, word):
    """t.insert(word), which must not raise."""
    program.method(trie, "insert", word).cites(sentence("insert", word))


def ask(program, trie, op, text, expected):
    """t.search(text) or t.starts_with(text), which must return ``expected``."""
    program.method(trie, op, text).expect(expected).cites(sentence(op, text, expected))


def prefixes(word):
    return [word[:i] for i in range(len(word) + 1)]


class Model:
    """The simplest correct trie: a set of words."""

    def __init__(self):
        self.words = set()

    def insert(self, word):
        self.words.add(word)

    def search(self, word):
        return word in self.words

    def starts_with(self, prefix):
        return any(word.startswith(prefix) for word in self.words)


def inserted(words_to_insert):
    """A program that builds t = Trie() and inserts the words, with its model."""
    program = Program()
    trie = program.new("Trie", name="t")
    model = Model()
    for word in words_to_insert:
        insert(program, trie, word)
        model.insert(word)
    return program, trie, model


@given(data=st.data())
def test_behaves_like_a_set_of_words(candidate, data):
    """Any mix of insert, search and starts_with behaves like a set of words."""
    pool = data.draw(word_lists, label="words")
    # Texts that matter for these words: the words, all their prefixes and one-letter extensions.
    near = sorted({p for word in pool for p in prefixes(word)} | {w + c for w in pool for c in "aA"})
    # One integer per operation: which operation, on which of the texts.
    codes = data.draw(st.lists(st.integers(0, 3 * len(near) - 1), max_size=12), label="ops")
    program, trie, model = inserted([])
    for code in codes:
        op, text = OPERATIONS[code % 3], near[code // 3]
        if op == "insert":
            insert(program, trie, text)
            model.insert(text)
        else:
            ask(program, trie, op, text, getattr(model, op)(text))
    candidate.check(program)


@given(pool=word_lists)
def test_search_is_true_only_for_inserted_words(candidate, pool):
    """search is True only for a word that was inserted, not for a mere prefix of one."""
    program, trie, model = inserted(pool)
    queries = sorted({p for word in pool for p in prefixes(word)} | {w + "b" for w in pool})
    for query in queries:
        ask(program, trie, "search", query, model.search(query))
    candidate.check(program)


@given(word=words, extension=words.filter(bool), shorter_first=st.booleans())
def test_a_word_and_a_longer_word_it_starts_are_both_kept(candidate, word, extension, shorter_first):
    """search is True for every inserted word, also when one inserted word is a prefix of another."""
    longer = word + extension
    program, trie, _ = inserted([word, longer] if shorter_first else [longer, word])
    ask(program, trie, "search", word, True)
    ask(program, trie, "search", longer, True)
    candidate.check(program)


@given(pool=word_lists, others=word_lists)
def test_starts_with_is_true_when_some_inserted_word_starts_with_the_prefix(candidate, pool, others):
    """starts_with(prefix) is True when some inserted word starts with prefix, and False otherwise."""
    program, trie, model = inserted(pool)
    queries = sorted({p for word in pool for p in prefixes(word)}) + others
    for query in queries:
        ask(program, trie, "starts_with", query, model.starts_with(query))
    candidate.check(program)


@given(pool=word_lists)
def test_starts_with_empty_prefix_is_true_once_a_word_was_inserted(candidate, pool):
    """starts_with("") is True once any word was inserted (and False before)."""
    program = Program()
    trie = program.new("Trie", name="t")
    ask(program, trie, "starts_with", "", False)
    for word in pool:
        insert(program, trie, word)
        ask(program, trie, "starts_with", "", True)
    candidate.check(program)


@given(pool=nonempty_word_lists)
def test_the_empty_word_may_be_inserted_and_searched(candidate, pool):
    """The empty word may be inserted and searched."""
    program, trie, _ = inserted(pool)
    ask(program, trie, "search", "", False)
    insert(program, trie, "")
    ask(program, trie, "search", "", True)
    ask(program, trie, "starts_with", "", True)
    for word in pool:
        ask(program, trie, "search", word, True)
    candidate.check(program)


@given(pool=st.lists(any_text, min_size=1, max_size=3), lone=st.sampled_from(["", "\ud800", "\udbff", "\ud83d"]))
def test_words_are_any_unicode_strings(candidate, pool, lone):
    """Words are any Python strings (any Unicode), so words that differ only in case are different words."""
    middle = len(pool[0]) // 2
    pool[0] = pool[0][:middle] + lone + pool[0][middle:]
    program, trie, model = inserted(pool)
    queries = sorted({p for word in pool for p in prefixes(word)} | {w.swapcase() for w in pool}
                     | {w + "x" for w in pool})
    for query in queries:
        ask(program, trie, "search", query, model.search(query))
        ask(program, trie, "starts_with", query, model.starts_with(query))
    candidate.check(program)
