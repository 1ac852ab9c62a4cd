# Passes each factory's result to asyncio.create_task, which takes only coroutines: an awaitable object that is not a coroutine raises TypeError.
import asyncio


async def bounded_gather(factories, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    results = [None] * len(factories)
    running = {}
    upcoming = iter(enumerate(factories))

    def start_next():
        for index, factory in upcoming:
            running[asyncio.create_task(factory())] = index
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
