import functools, logging
from time import perf_counter as now

L = logging.getLogger("timer")


def timer(f):
    @functools.wraps(f)
    def w(*a, **k):
        t = now()
        try:
            return f(*a, **k)
        except Exception as e:
            L.error("%s failed: %s", f.__name__, e)
            raise
        finally:
            L.info("%s: %.4fs", f.__name__, now() - t)
    return w
