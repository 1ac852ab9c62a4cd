import time


def retry(attempts=3, base_delay=0.1, factor=2.0, max_delay=None, exceptions=(Exception,), sleep=time.sleep):
    """Return a decorator that retries the decorated function with exponential backoff.

    The decorated function calls the original with the same arguments. When a
    call raises an instance of ``exceptions`` (a class or a tuple of classes),
    it calls ``sleep(delay)`` with ``delay = base_delay * factor ** (k - 1)``
    (k = 1 after the first failure), capped at ``max_delay`` unless that is
    None, then calls again: at most ``attempts`` calls in all. It returns the
    first successful result; after the last failed attempt it re-raises that
    exception object itself, with no sleep after it. Other exceptions
    propagate at once. ``retry(...)`` raises ValueError when ``attempts < 1``,
    ``base_delay < 0``, ``factor < 1`` or ``max_delay < 0``. The wrapper keeps
    ``__name__``, ``__qualname__``, ``__doc__``, ``__module__`` and sets
    ``__wrapped__``.

    Bonus: for an ``async def`` function, return an ``async`` wrapper that
    awaits ``asyncio.sleep(delay)`` instead of calling ``sleep``.
    """
    raise NotImplementedError
