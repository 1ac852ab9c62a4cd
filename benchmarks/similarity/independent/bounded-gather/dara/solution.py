import asyncio


class BoundedGather:
    """Starts tasks from done-callbacks, so a freed slot is refilled at once."""

    def __init__(self, factories, limit):
        if limit < 1:
            raise ValueError("BoundedGather needs a limit of at least 1")
        self.factories = factories
        self.limit = limit
        self.results = [None] * len(factories)
        self.running = set()
        self.position = 0
        self.remaining = len(factories)
        self.outcome = None

    def launch(self):
        index = self.position
        self.position += 1
        task = asyncio.ensure_future(self.factories[index]())
        self.running.add(task)
        task.add_done_callback(lambda t: self.finished(t, index))

    def finished(self, task, index):
        self.running.discard(task)
        if self.outcome.done():
            return
        if task.cancelled():
            self.outcome.set_exception(asyncio.CancelledError())
            return
        error = task.exception()
        if error is not None:
            self.outcome.set_exception(error)
            return
        self.results[index] = task.result()
        self.remaining -= 1
        if self.remaining == 0:
            self.outcome.set_result(self.results)
        elif self.position < len(self.factories):
            self.launch()

    async def run(self):
        if not self.factories:
            return []
        self.outcome = asyncio.get_running_loop().create_future()
        while self.position < len(self.factories) and len(self.running) < self.limit:
            self.launch()
        try:
            return await self.outcome
        finally:
            leftovers = list(self.running)
            for task in leftovers:
                task.cancel()
            if leftovers:
                await asyncio.wait(leftovers)


async def bounded_gather(factories, limit):
    return await BoundedGather(factories, limit).run()
