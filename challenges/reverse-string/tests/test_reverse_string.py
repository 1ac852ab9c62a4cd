"""Hidden tests for reverse-string: the code points of s, in reverse order."""

from hypothesis import given, strategies as st

from grader.harness.program import Program

# Lone surrogates are code points too. Each generated string holds at most
# one: two in a row (a high surrogate then a low one) do not yet cross the
# sandbox boundary as two code points, because the JSON channel joins the
# pair into one character.
LONE_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ude00"]
with_lone_surrogate = st.tuples(st.text(max_size=8), st.sampled_from(LONE_SURROGATES), st.integers(0, 8)).map(
    lambda parts: parts[0][:parts[2]] + parts[1] + parts[0][parts[2]:])

# Characters outside the Basic Multilingual Plane (two UTF-16 code units
# each), mixed with a few others; one character strategy, so the shrinker
# never replays a character into a draw with another alphabet.
mixed_with_astral = st.text(st.characters(min_codepoint=0x10000, include_characters="ab日 "), max_size=6).filter(
    lambda s: any(ord(c) > 0xFFFF for c in s))

whitespace_and_words = st.text(alphabet=" \t\nab,", max_size=10)


def reverses(s):
    program = Program()
    program.call("reverse_string", s).expect(s[::-1])
    return program


def test_reverses_the_examples(candidate):
    """reverse_string("abc") returns "cba"; the empty string and one character stay as they are."""
    program = Program()
    for s in ["abc", "", "a", "ab"]:
        program.call("reverse_string", s).expect(s[::-1])
    candidate.check(program)


@given(s=st.text())
def test_reverses_any_text(candidate, s):
    """Returns the code points of s in reverse order, for any Unicode text."""
    candidate.check(reverses(s))


@given(s=mixed_with_astral)
def test_keeps_characters_outside_the_bmp_whole(candidate, s):
    """Returns the code points in reverse order, so a character outside the BMP (such as an emoji) stays whole."""
    candidate.check(reverses(s))


@given(s=with_lone_surrogate)
def test_reverses_text_holding_a_lone_surrogate(candidate, s):
    """Returns the code points of s in reverse order, a lone surrogate being one code point like any other."""
    candidate.check(reverses(s))


@given(s=whitespace_and_words)
def test_keeps_every_character_including_whitespace(candidate, s):
    """Returns every code point of s in reverse order, whitespace and punctuation included."""
    candidate.check(reverses(s))
