import asyncio


async def bounded_gather(factories, limit):
    if limit < 1:
        raise ValueError("limit must be positive")
    out = [None] * len(factories)
    jobs = iter(enumerate(factories))
    stop = asyncio.Event()

    async def worker():
        for i, make in jobs:
            if stop.is_set():
                return
            try:
                out[i] = await make()
            except BaseException:
                stop.set()
                raise

    workers = [asyncio.ensure_future(worker()) for _ in range(min(limit, len(factories)))]
    if not workers:
        return out
    done, pending = await asyncio.wait(workers, return_when=asyncio.FIRST_EXCEPTION)
    failures = [w for w in done if not w.cancelled() and w.exception() is not None]
    if failures:
        for w in pending:
            w.cancel()
        if pending:
            await asyncio.wait(pending)
        raise failures[0].exception()
    return out
