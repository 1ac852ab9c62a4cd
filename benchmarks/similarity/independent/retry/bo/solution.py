import functools, time


def retry(attempts=3, base_delay=0.1, factor=2.0, max_delay=None, exceptions=(Exception,), sleep=time.sleep):
    if attempts < 1 or base_delay < 0 or factor < 1 or (max_delay is not None and max_delay < 0):
        raise ValueError("bad retry arguments")

    def deco(f):
        @functools.wraps(f)
        def w(*a, **kw):
            d = base_delay
            for i in range(attempts):
                try:
                    return f(*a, **kw)
                except exceptions:
                    if i == attempts - 1:
                        raise
                sleep(d if max_delay is None else min(d, max_delay))
                d *= factor
        return w
    return deco
