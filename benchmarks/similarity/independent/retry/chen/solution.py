import asyncio
import functools
import inspect
import itertools
import time


def _schedule(base, factor, cap, count):
    """The waits between `count` attempts: base, base*factor, ... each capped."""
    waits = (base * factor ** n for n in itertools.count())
    if cap is not None:
        waits = (min(w, cap) for w in waits)
    return list(itertools.islice(waits, count - 1))


def retry(attempts=3, base_delay=0.1, factor=2.0, max_delay=None, exceptions=(Exception,), sleep=time.sleep):
    problems = [
        (attempts < 1, "attempts"),
        (base_delay < 0, "base_delay"),
        (factor < 1, "factor"),
        (max_delay is not None and max_delay < 0, "max_delay"),
    ]
    for bad, name in problems:
        if bad:
            raise ValueError("invalid " + name)

    def wrap(fn):
        if inspect.iscoroutinefunction(fn):
            async def runner(*args, **kwargs):
                for wait in _schedule(base_delay, factor, max_delay, attempts):
                    try:
                        return await fn(*args, **kwargs)
                    except exceptions:
                        await asyncio.sleep(wait)
                return await fn(*args, **kwargs)
        else:
            def runner(*args, **kwargs):
                for wait in _schedule(base_delay, factor, max_delay, attempts):
                    try:
                        return fn(*args, **kwargs)
                    except exceptions:
                        sleep(wait)
                return fn(*args, **kwargs)
        return functools.wraps(fn)(runner)

    return wrap
