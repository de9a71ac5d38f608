#!/usr/bin/env python3
"""CPython asyncio twin of asyncio4j's SyncBenchmark: the same workloads, the same output format.

Workloads (standard library only):
  sem_pingpong       two tasks hand a permit back and forth through two Semaphore(0): every acquire()
                     waits and every release() wakes the other task; nanoseconds per hand-off.
  sem_fanout         1,000 tasks contend for one Semaphore(10), each repeating acquire(), sleep(0),
                     release(); nanoseconds per acquire/sleep(0)/release cycle.
  sem_uncontended    one task: acquire() + release() of a free Semaphore (no task switch); ns per pair.
  queue_pingpong     two tasks pass an item back and forth through two Queue(1): every get() waits;
                     nanoseconds per hand-off (one put() + one get()).
  queue_fanout       one producer, 100 consumers, one Queue(maxsize=100); nanoseconds per item.
  queue_uncontended  one task: put_nowait() + get_nowait() on a Queue with room (no task switch); ns per pair.

Usage:
  python3 sync_bench.py [all|sem|queue|<workload>]... [--reps N] [--warmup N] [--handoffs N]
                        [--repeats N] [--items N] [--pairs N] [--json]

Output: lines starting with '#' are comments; the others are ``<kind> <workload> <i>/<n>`` followed by
key=value figures, kind being warmup, run or median; the first figure is the headline. With --json these
lines go to stderr and one JSON document to stdout.
"""

import asyncio
import sys
import time

from benchutil import CpuClock, check, parse_options, report, run_workload

PROGRAM = "sync_bench.py"

WORKLOADS = ["sem_pingpong", "sem_fanout", "sem_uncontended", "queue_pingpong", "queue_fanout",
             "queue_uncontended"]
GROUPS = {"all": WORKLOADS, "sem": WORKLOADS[:3], "queue": WORKLOADS[3:]}
FANOUT_TASKS = 1000
FANOUT_PERMITS = 10
QUEUE_CONSUMERS = 100
QUEUE_MAXSIZE = 100
DONE = -1  # the sentinel that stops a queue_fanout consumer


# ---- Semaphore ---------------------------------------------------------------------------------------

def sem_pingpong(handoffs):
    """Task a releases b's semaphore and waits on its own; b does the mirror image. 2 hand-offs per round."""
    rounds = handoffs // 2

    async def main():
        sa, sb = asyncio.Semaphore(0), asyncio.Semaphore(0)

        async def a():
            for _ in range(rounds):
                sb.release()
                await sa.acquire()

        async def b():
            for _ in range(rounds):
                await sb.acquire()
                sa.release()

        t0 = time.perf_counter_ns()
        ta, tb = asyncio.create_task(a()), asyncio.create_task(b())
        await ta
        await tb
        elapsed = time.perf_counter_ns() - t0
        check(sa._value == 0 and sb._value == 0, "sem_pingpong: a permit was left over")
        return elapsed

    return timed(main, "ns_per_handoff", 2 * rounds, "handoffs")


def sem_fanout(repeats):
    """FANOUT_TASKS tasks, each repeating acquire(), sleep(0), release() on one Semaphore(FANOUT_PERMITS)."""
    async def main():
        sem = asyncio.Semaphore(FANOUT_PERMITS)
        holders = 0
        most = 0

        async def worker():
            nonlocal holders, most
            for _ in range(repeats):
                await sem.acquire()
                holders += 1
                most = max(most, holders)
                await asyncio.sleep(0)
                holders -= 1
                sem.release()

        t0 = time.perf_counter_ns()
        tasks = [asyncio.create_task(worker()) for _ in range(FANOUT_TASKS)]
        for t in tasks:
            await t
        elapsed = time.perf_counter_ns() - t0
        check(most == FANOUT_PERMITS, f"sem_fanout: at most {most} holders at once, expected {FANOUT_PERMITS}")
        check(sem._value == FANOUT_PERMITS, "sem_fanout: permits lost")
        return elapsed

    return timed(main, "ns_per_op", FANOUT_TASKS * repeats, "ops")


def sem_uncontended(pairs):
    async def main():
        sem = asyncio.Semaphore(1)
        t0 = time.perf_counter_ns()
        for _ in range(pairs):
            await sem.acquire()
            sem.release()
        return time.perf_counter_ns() - t0

    return timed(main, "ns_per_op", pairs, "ops")


# ---- Queue -------------------------------------------------------------------------------------------

def queue_pingpong(handoffs):
    """Task a puts into q1 and gets from q2; b gets from q1 and puts into q2. 2 hand-offs per round."""
    rounds = handoffs // 2

    async def main():
        q1, q2 = asyncio.Queue(1), asyncio.Queue(1)

        async def a():
            total = 0
            for i in range(rounds):
                await q1.put(i)
                total += await q2.get()
            return total

        async def b():
            for _ in range(rounds):
                await q2.put(await q1.get())

        t0 = time.perf_counter_ns()
        ta, tb = asyncio.create_task(a()), asyncio.create_task(b())
        total = await ta
        await tb
        elapsed = time.perf_counter_ns() - t0
        check(total == rounds * (rounds - 1) // 2, "queue_pingpong: wrong items came back")
        return elapsed

    return timed(main, "ns_per_handoff", 2 * rounds, "handoffs")


def queue_fanout(items):
    """One producer puts `items` items, then one sentinel per consumer; QUEUE_CONSUMERS consumers get."""
    async def main():
        q = asyncio.Queue(QUEUE_MAXSIZE)

        async def producer():
            for i in range(items):
                await q.put(i)
            for _ in range(QUEUE_CONSUMERS):
                await q.put(DONE)

        async def consumer():
            n = 0
            while await q.get() != DONE:
                n += 1
            return n

        t0 = time.perf_counter_ns()
        consumers = [asyncio.create_task(consumer()) for _ in range(QUEUE_CONSUMERS)]
        p = asyncio.create_task(producer())
        received = 0
        for c in consumers:
            received += await c
        await p
        elapsed = time.perf_counter_ns() - t0
        check(received == items, f"queue_fanout: {received} of {items} items received")
        return elapsed

    return timed(main, "ns_per_item", items, "items")


def queue_uncontended(pairs):
    async def main():
        q = asyncio.Queue(QUEUE_MAXSIZE)
        item = 42
        t0 = time.perf_counter_ns()
        for _ in range(pairs):
            q.put_nowait(item)
            q.get_nowait()
        return time.perf_counter_ns() - t0

    return timed(main, "ns_per_op", pairs, "ops")


# ---- measurement -------------------------------------------------------------------------------------

def timed(main, headline, ops, ops_name):
    """Runs main() in a fresh asyncio.run; main returns the nanoseconds it measured (tasks only)."""
    cpu = CpuClock()
    elapsed = asyncio.run(main())
    return {headline: elapsed / ops, ops_name: ops, "wall_ms": elapsed / 1e6, **cpu.stop()}


def run_once(workload, args):
    if workload in ("sem_pingpong", "queue_pingpong"):
        n = args["handoffs"]
    elif workload == "sem_fanout":
        n = args["repeats"]
    elif workload == "queue_fanout":
        n = args["items"]
    else:
        n = args["pairs"]
    return globals()[workload](n)


USAGE = """usage: sync_bench.py [all|sem|queue|<workload>]... [--reps N] [--warmup N] [--handoffs N] [--repeats N]
                     [--items N] [--pairs N] [--json]
  workloads    sem_pingpong sem_fanout sem_uncontended queue_pingpong queue_fanout queue_uncontended
               (sem = the first three, queue = the last three, all = every one; default all)
  --reps N     measured runs per workload (default 5)
  --warmup N   unmeasured runs first (default 2)
  --handoffs N hand-offs per ping-pong run (default 100000)
  --repeats N  acquire/sleep(0)/release cycles per task in sem_fanout, 1000 tasks (default 50)
  --items N    items through the queue in queue_fanout (default 100000)
  --pairs N    acquire+release / put_nowait+get_nowait pairs in the uncontended runs (default 3000000)
  --json       figures as one JSON document on stdout (the text lines go to stderr)"""


def parse_args(argv):
    return parse_options(PROGRAM, USAGE, argv,
                         {"reps": 5, "warmup": 2, "handoffs": 100_000, "repeats": 50, "items": 100_000,
                          "pairs": 3_000_000},
                         {"--reps": 1, "--warmup": 0, "--handoffs": 2, "--repeats": 1, "--items": 1, "--pairs": 1},
                         {**GROUPS, **{w: [w] for w in WORKLOADS}})


def main(argv):
    args = parse_args(argv)
    report("sync benchmark", args["workloads"],
           lambda w, out: run_workload(w, lambda: run_once(w, args), args["warmup"], args["reps"], out), args["json"])


if __name__ == "__main__":
    main(sys.argv[1:])
