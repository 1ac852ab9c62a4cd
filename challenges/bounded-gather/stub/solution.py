async def bounded_gather(factories, limit):
    """Await the awaitables the factories return, at most ``limit`` at a time.

    ``factories`` is a list of callables taking no arguments, each returning
    an awaitable. Call them in list order, each only when fewer than
    ``limit`` awaitables are pending, and start the next one as soon as one
    finishes. Return the results in the order of ``factories``. When an
    awaitable raises, raise that exception (the first one raised), cancel
    those still pending and call no further factory. ``ValueError`` when
    ``limit < 1``; ``[]`` gives ``[]``.
    """
    raise NotImplementedError
