"""Benchmark spec for two-stack-queue: a queue holding n items, then enqueues
and dequeues alternating so it keeps holding n (amortised O(1) each)."""

from grader.complexity.spec import Operation

BATCH = 10_000

WORKLOAD = f'''
def setup(solution, n, seed):
    queue = solution.QueueWithStacks()
    for i in range(n):
        queue.enqueue(seed + i)
    queue.dequeue()          # items now sit on the outgoing stack, as in steady use
    queue.enqueue(seed)
    return queue

def run(queue):
    enqueue, dequeue, peek = queue.enqueue, queue.dequeue, queue.peek
    seen = []
    for i in range({BATCH}):
        enqueue(i)
        seen.append(peek())
        seen.append(dequeue())
    seen.append(len(queue))
    return seen
'''

OPERATIONS = [
    Operation(name="enqueue, peek and dequeue", expected="O(1)", setup="setup", run="run",
              sizes=(500, 50_000), axis="items held"),
]
