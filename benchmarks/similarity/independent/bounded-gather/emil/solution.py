import asyncio


async def bounded_gather(factories, limit):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    slots = asyncio.Semaphore(limit)
    tasks = []
    errors = []

    def when_done(task):
        # give the slot back, and remember the first error
        slots.release()
        if task.cancelled():
            return
        if task.exception() is not None and len(errors) == 0:
            errors.append(task.exception())

    for factory in factories:
        await slots.acquire()
        if len(errors) > 0:
            break
        task = asyncio.ensure_future(factory())
        task.add_done_callback(when_done)
        tasks.append(task)

    if len(errors) == 0 and len(tasks) > 0:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)

    if len(errors) > 0:
        for task in tasks:
            if not task.done():
                task.cancel()
        await asyncio.wait(tasks)
        raise errors[0]

    results = []
    for task in tasks:
        results.append(task.result())
    return results
