# Ignores the limit: gathers every awaitable at once.
import asyncio


async def bounded_gather(factories, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    tasks = [asyncio.ensure_future(factory()) for factory in factories]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        raise
