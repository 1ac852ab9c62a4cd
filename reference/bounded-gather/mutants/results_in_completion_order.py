# Appends each result when its awaitable finishes, so the results come in completion order.
import asyncio


async def bounded_gather(factories, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    results = []
    running = set()
    upcoming = iter(factories)

    def start_next():
        for factory in upcoming:
            running.add(asyncio.ensure_future(factory()))
            return

    for _ in range(limit):
        start_next()
    try:
        while running:
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                running.discard(task)
                results.append(task.result())
            for _ in done:
                start_next()
    except BaseException:
        for task in running:
            task.cancel()
        raise
    return results
