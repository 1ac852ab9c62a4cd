def timer(func):
    """Return a wrapper around ``func`` that times each call.

    The wrapper calls ``func(*args, **kwargs)`` and returns its result
    unchanged. It times the call with ``time.perf_counter`` and logs, on the
    logger named "timer", one INFO record ``f"{func.__name__}: {elapsed:.4f}s"``.
    When ``func`` raises, it first logs one ERROR record
    ``f"{func.__name__} failed: {exc}"``, then the INFO timing record, and
    re-raises the very same exception object. The wrapper keeps ``func``'s
    ``__name__``, ``__qualname__``, ``__doc__``, ``__module__`` and sets
    ``__wrapped__`` (as ``functools.wraps`` does).

    Bonus: for an ``async def`` function, return an ``async`` wrapper that
    times the awaited call.
    """
    raise NotImplementedError
