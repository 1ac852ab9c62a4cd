import functools
import inspect
import logging
import time


def _log():
    return logging.getLogger("timer")


def _finish(name, t0, error=None):
    if error is not None:
        _log().error("{} failed: {}".format(name, error))
    _log().info("{}: {:.4f}s".format(name, time.perf_counter() - t0))


def _make_sync(func):
    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            value = func(*args, **kwargs)
        except Exception as error:
            _finish(func.__name__, t0, error)
            raise
        _finish(func.__name__, t0)
        return value
    return wrapper


def _make_async(func):
    async def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            value = await func(*args, **kwargs)
        except Exception as error:
            _finish(func.__name__, t0, error)
            raise
        _finish(func.__name__, t0)
        return value
    return wrapper


def timer(func):
    make = _make_async if inspect.iscoroutinefunction(func) else _make_sync
    return functools.update_wrapper(make(func), func)
