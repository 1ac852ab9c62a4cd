# Waits for everything with return_exceptions=True, then raises the first exception in list order (not the first raised) and cancels nothing.
import asyncio


async def bounded_gather(factories, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    semaphore = asyncio.Semaphore(limit)

    async def run(factory):
        async with semaphore:
            return await factory()

    results = await asyncio.gather(*(run(factory) for factory in factories), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return list(results)
