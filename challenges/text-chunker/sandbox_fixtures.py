"""text-chunker's helpers inside the sandbox (registered by name in
FIXTURES): keep a token list where the submission runs, write into the
chunks it returned, and read values back. They run beside the submission,
so what they read back is judged on the host like any answer. Standard
library only."""


def fixture_new_list(agent, values):
    """A list of ``values`` kept in the sandbox (pass it on by Ref)."""
    return list(values)


def fixture_append_to_each(agent, chunks, marker):
    """``for c in chunks: c.append(marker)``: a chunk that is the token
    list itself, or shared with another chunk, shows the marker there too."""
    for piece in chunks:
        piece.append(marker)


def fixture_value(agent, value):
    """The value itself, read back for the host to judge."""
    return value


FIXTURES = {
    "new_list": fixture_new_list,
    "append_to_each": fixture_append_to_each,
    "value": fixture_value,
}
