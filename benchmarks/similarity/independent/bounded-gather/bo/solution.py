import asyncio


async def bounded_gather(factories, limit):
    if limit < 1:
        raise ValueError("limit < 1")
    sem, failed = asyncio.Semaphore(limit), False

    async def one(f):
        nonlocal failed
        async with sem:
            if failed:
                return None
            try:
                return await f()
            except BaseException:
                failed = True
                raise

    ts = [asyncio.ensure_future(one(f)) for f in factories]
    try:
        return list(await asyncio.gather(*ts))
    except BaseException:
        for t in ts:
            t.cancel()
        await asyncio.gather(*ts, return_exceptions=True)
        raise
