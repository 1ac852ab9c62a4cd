"""Reference bounded gather: at most `limit` awaitables in flight, each next
factory called as soon as a slot frees, results in the order of the
factories, and on the first exception everything still running cancelled."""

import asyncio


async def bounded_gather(factories, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    results = [None] * len(factories)
    running = {}                        # task -> index of its factory
    upcoming = iter(enumerate(factories))

    def start_next():
        for index, factory in upcoming:
            running[asyncio.ensure_future(factory())] = index
            return

    for _ in range(limit):
        start_next()
    try:
        while running:
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                results[running.pop(task)] = task.result()   # raises the awaitable's exception
            for _ in done:
                start_next()
    except BaseException:
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running)
        raise
    return results
