# Starts the next factory for every finished awaitable before looking at its result, so one more factory is called after the first exception.
import asyncio


async def bounded_gather(factories, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    results = [None] * len(factories)
    running = {}
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
            for _ in done:
                start_next()
            for task in done:
                results[running.pop(task)] = task.result()
    except BaseException:
        for task in running:
            task.cancel()
        raise
    return results
