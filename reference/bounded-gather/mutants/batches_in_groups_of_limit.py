# Awaits the factories in batches of `limit` with asyncio.gather: each batch waits for its slowest awaitable before the next batch starts.
import asyncio


async def bounded_gather(factories, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    results = []
    for start in range(0, len(factories), limit):
        batch = factories[start:start + limit]
        results += await asyncio.gather(*(factory() for factory in batch))
    return results
