import functools
import logging
import time
import types


class Timed:
    """A callable object standing in for the function, binding like one."""

    logger = logging.getLogger("timer")

    def __init__(self, func):
        functools.update_wrapper(self, func)
        self.func = func

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return types.MethodType(self, instance)

    def __call__(self, *args, **kwargs):
        started = time.perf_counter()
        failed = None
        try:
            return self.func(*args, **kwargs)
        except Exception as problem:
            failed = problem
            raise
        finally:
            if failed is not None:
                self.logger.error("%s failed: %s", self.func.__name__, failed)
            self.logger.info("%s: %.4fs", self.func.__name__, time.perf_counter() - started)


def timer(func):
    return Timed(func)
