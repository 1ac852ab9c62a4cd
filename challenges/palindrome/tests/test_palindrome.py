"""Hidden tests for palindrome: every sentence of the contract, against a host-side oracle."""

import functools

from hypothesis import given, strategies as st

from grader.harness.program import Program


def fits(char):
    """The contract's domain: no character whose lower() is longer than one character.
    Nor "Σ": str.lower() maps it to "ς" at the end of a word and to "σ" elsewhere, so
    for it lowering each character and lowering the cleaned string disagree
    ("σΣ"), which the contract's domain sentence rules out."""
    return len(char.lower()) == 1 and char != "\u03a3"


def oracle(s):
    """The contract, word for word: keep what isalnum() accepts, lower each, compare with the mirror."""
    cleaned = [c.lower() for c in s if c.isalnum()]
    return cleaned == cleaned[::-1]


def is_alnum(char):
    return char.isalnum() and fits(char)


def is_noise(char):
    return not char.isalnum() and fits(char)


def only(keep, fallback):
    """Replace the characters that ``keep`` rejects (rare) by ``fallback``, so no example is thrown away."""
    return lambda text: "".join(c if keep(c) else fallback for c in text)


# Alphanumerics of any script, with a few chosen ones (accented, Greek, CJK,
# non-ASCII digits) added to the mix; letters with case and titlecase
# letters for the case tests; digits of several scripts.
SIMPLE_ALNUM = "aAbB01éÉßΩω日٣５"
CASED = "aAbBéÉΩωσЖжǄǅǆ"
DIGITS = "0123٣５²"


@functools.lru_cache(maxsize=None)
def letters(min_size=0, max_size=5):
    return st.text(st.characters(categories=["L", "N"], include_characters=SIMPLE_ALNUM),
                   min_size=min_size, max_size=max_size).map(only(is_alnum, "a"))


@functools.lru_cache(maxsize=None)
def cased(min_size=0, max_size=5):
    return st.text(CASED, min_size=min_size, max_size=max_size)


@functools.lru_cache(maxsize=None)
def digits(min_size=0, max_size=5):
    return st.text(st.characters(categories=["N"], include_characters=DIGITS),
                   min_size=min_size, max_size=max_size).map(only(is_alnum, "0"))


# Everything else: spaces, punctuation, symbols, emoji, combining marks,
# controls and lone surrogates. Low surrogates are turned into high ones: a
# high surrogate followed by a low one does not yet cross the sandbox
# boundary as two code points (the JSON channel joins them into one).
NOISE = " ,.!?'-_:\t\n\u00a0\u3000😀\u0301—¿\x00"


def high_only(char):
    return chr(ord(char) - 0x400) if "\udc00" <= char <= "\udfff" else char


noise = st.text(st.characters(categories=["P", "S", "Z", "M", "Cc", "Cf", "Cs"], include_characters=NOISE),
                max_size=4).map(lambda text: only(is_noise, " ")("".join(map(high_only, text))))
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=8).map(only(fits, "a"))


def other_case(char):
    """The same letter in another case, when one exists that lowers to the same character."""
    for variant in (char.swapcase(), char.upper(), char.title(), char.lower()):
        if len(variant) == 1 and variant != char and is_alnum(variant) and variant.lower() == char.lower():
            return variant
    return char


PALINDROME, NEAR, ANY = "palindrome", "near palindrome", "any text"


@st.composite
def inputs(draw, kinds=(PALINDROME,), alphabet=letters, case=True, with_noise=True, fallback="ab01"):
    """A palindrome of alphanumerics in mixed case with noise sprinkled in; or a near
    palindrome (one character of the first half replaced by one that differs from its
    mirror image even after lower()), which is never a palindrome; or any text.

    Every example makes the same draws in the same order, whatever its kind: when the
    shrinker switches the kind, each draw keeps its alphabet (Hypothesis 6.155 can fail
    with an internal error when a string drawn with one alphabet is replayed into a
    draw with another)."""
    kind = draw(st.sampled_from(kinds))
    half = draw(alphabet())
    middle = draw(alphabet(max_size=1))
    position = draw(st.integers(0, 4))
    replacement = draw(alphabet(min_size=1, max_size=1))
    mask = draw(st.integers(0, 2 ** 11 - 1))
    extra = draw(noise) if with_noise else ""
    spots = draw(st.integers(0, 2 ** 32 - 1)) if with_noise else 0
    free = draw(any_text) if ANY in kinds else ""
    if kind == ANY:
        return free
    if kind == NEAR and not half:
        half = fallback[0]
    chars = list(half + middle + half[::-1])
    if kind == NEAR:
        k = position % len(half)
        mirror = chars[-1 - k].lower()
        if replacement.lower() == mirror:
            replacement = next(c for c in fallback if c != mirror)
        chars[k] = replacement
    if case:
        chars = [other_case(c) if mask >> i & 1 else c for i, c in enumerate(chars)]
    for i, char in enumerate(extra):
        chars.insert((spots >> (8 * i)) % (len(chars) + 1), char)
    return "".join(chars)


def answers(strings):
    program = Program()
    for s in strings:
        program.call("is_palindrome", s).expect(oracle(s))
    return program


def test_prompt_examples(candidate):
    """is_palindrome("A man, a plan, a canal: Panama") is True and is_palindrome("race a car") is False."""
    program = Program()
    program.call("is_palindrome", "A man, a plan, a canal: Panama").expect(True)
    program.call("is_palindrome", "race a car").expect(False)
    program.call("is_palindrome", "").expect(True)
    candidate.check(program)


@given(s=inputs(case=False))
def test_ignores_characters_that_are_not_alphanumeric(candidate, s):
    """Ignores every character for which str.isalnum() is False."""
    candidate.check(answers([s]))


@given(s=inputs(kinds=(PALINDROME, NEAR), alphabet=digits, fallback="01"))
def test_compares_digits_like_letters(candidate, s):
    """Digits are alphanumeric, so they are compared like letters, never ignored."""
    candidate.check(answers([s]))


@given(s=inputs(kinds=(PALINDROME, NEAR), alphabet=cased, with_noise=False, fallback="ab"))
def test_compares_case_insensitively(candidate, s):
    """Compares the alphanumeric characters case-insensitively, using str.lower() on each character."""
    candidate.check(answers([s]))


@given(s=noise)
def test_empty_and_non_alphanumeric_strings_are_palindromes(candidate, s):
    """The empty string and strings with no alphanumeric character are palindromes."""
    candidate.check(answers([s]))


@given(s=inputs(kinds=(NEAR,)))
def test_rejects_strings_that_do_not_mirror(candidate, s):
    """A string whose lowered alphanumeric characters do not read the same backwards is not a palindrome."""
    candidate.check(answers([s]))


@given(s=inputs(kinds=(ANY, PALINDROME, NEAR)))
def test_agrees_with_the_definition_on_any_text(candidate, s):
    """Inputs may hold any Unicode (but no character whose lower() is longer than one character)."""
    candidate.check(answers([s]))
