# A semaphore and asyncio.gather: right until an awaitable raises, then gather raises it but cancels nothing, so the others run on and the waiting ones still call their factories.
import asyncio


async def bounded_gather(factories, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    semaphore = asyncio.Semaphore(limit)

    async def run(factory):
        async with semaphore:
            return await factory()

    return list(await asyncio.gather(*(run(factory) for factory in factories)))
