# Workers take factories from the end of a copy of the list (list.pop()), so they are called in reverse order.
import asyncio


async def bounded_gather(factories, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    todo = list(enumerate(factories))
    results = [None] * len(factories)

    async def worker():
        while todo:
            index, factory = todo.pop()
            results[index] = await factory()

    workers = [asyncio.ensure_future(worker()) for _ in range(min(limit, len(factories)))]
    try:
        await asyncio.gather(*workers)
    except BaseException:
        for task in workers:
            task.cancel()
        raise
    return results
