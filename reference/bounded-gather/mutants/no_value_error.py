# Does not raise ValueError for limit < 1 (a limit of 0 is treated as 1).
import asyncio


async def bounded_gather(factories, limit):
    limit = max(limit, 1)
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
            for task in done:
                results[running.pop(task)] = task.result()
            for _ in done:
                start_next()
    except BaseException:
        for task in running:
            task.cancel()
        raise
    return results
