"""Bounded gather: a window of at most ``limit`` tasks, refilled on each completion."""

import asyncio


async def bounded_gather(factories: list, limit: int) -> list:
    """Await the factories' awaitables, ``limit`` at a time, results in list order."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    results: list = [None] * len(factories)
    in_flight: dict = {}
    next_index = 0
    try:
        while next_index < len(factories) or in_flight:
            while next_index < len(factories) and len(in_flight) < limit:
                in_flight[asyncio.ensure_future(factories[next_index]())] = next_index
                next_index += 1
            finished, _ = await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
            for task in finished:
                results[in_flight.pop(task)] = task.result()
    except BaseException:
        for task in in_flight:
            task.cancel()
        if in_flight:
            await asyncio.wait(in_flight)
        raise
    return results
