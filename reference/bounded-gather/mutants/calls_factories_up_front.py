# Calls every factory up front and awaits the awaitables under a semaphore: they are all pending from the start.
import asyncio


async def bounded_gather(factories, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    semaphore = asyncio.Semaphore(limit)
    awaitables = [factory() for factory in factories]

    async def run(awaitable):
        async with semaphore:
            return await awaitable

    tasks = [asyncio.ensure_future(run(awaitable)) for awaitable in awaitables]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        raise
