# Uses a TaskGroup, which cancels the rest on the first error, but lets its ExceptionGroup out instead of the exception itself.
import asyncio


async def bounded_gather(factories, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    semaphore = asyncio.Semaphore(limit)

    async def run(factory):
        async with semaphore:
            return await factory()

    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(run(factory)) for factory in factories]
    return [task.result() for task in tasks]
