#!/usr/bin/env python3
"""CPython asyncio twin of asyncio4j's KernelBenchmark: the same workloads, the same output format.

Workloads (standard library only):
  sleep100k  100,000 tasks that each ``await asyncio.sleep(0.01)``, in one ``asyncio.run``; wall time.
  parked1m   1,000,000 tasks parked on one shared future; bytes per parked task. Each run happens in a
             fresh child process, twice: once under tracemalloc (heap_bytes_per_task: bytes of live
             Python allocations, the analogue of the JVM's heap used after a full GC) and once without
             (rss_bytes_per_task from /proc/self/status, and the create/release times).
  switch     two tasks ping-pong with ``await asyncio.sleep(0)``; nanoseconds per switch.

Usage:
  python3 kernel_bench.py [all|sleep100k|parked1m|switch]... [--reps N] [--warmup N] [--tasks N]
                          [--yields N] [--json]

Output: lines starting with '#' are comments; the others are ``<kind> <workload> <i>/<n>`` followed by
key=value figures, kind being warmup, run or median; the first figure is the headline. With --json these
lines go to stderr and one JSON document to stdout.
"""

import asyncio
import gc
import os
import subprocess
import sys
import time
import tracemalloc

from benchutil import CpuClock, check, format_figures, parse_figures, parse_options, report, run_workload

PROGRAM = "kernel_bench.py"

HEADLINES = {"sleep100k": "wall_ms", "parked1m": "heap_bytes_per_task", "switch": "ns_per_switch"}
DEFAULT_TASKS = {"sleep100k": 100_000, "parked1m": 1_000_000}
CHILD = "_parked1m_child"


# ---- (a) 100,000 tasks sleep(0.01) ---------------------------------------------------------------------

def sleep100k(n):
    async def sleeper():
        await asyncio.sleep(0.01)

    async def main():
        tasks = [asyncio.create_task(sleeper()) for _ in range(n)]
        created = time.perf_counter()
        done = 0
        for t in tasks:
            await t
            done += 1
        return done, created

    cpu = CpuClock()
    t0 = time.perf_counter()
    done, created = asyncio.run(main())
    t1 = time.perf_counter()
    check(done == n, f"sleep100k: {done} of {n} tasks completed")
    return {"wall_ms": (t1 - t0) * 1e3, "create_ms": (created - t0) * 1e3, **cpu.stop(), "tasks": n}


# ---- (b) 1,000,000 parked tasks --------------------------------------------------------------------------

def parked1m(n):
    """Runs the workload twice in fresh child processes (with and without tracemalloc) and merges them."""
    traced = run_child(n, True)
    plain = run_child(n, False)
    return {
        "heap_bytes_per_task": traced["heap_bytes_per_task"],
        "heap_used_mb": traced["heap_used_mb"],
        "rss_bytes_per_task": plain["rss_bytes_per_task"],
        "create_ms": plain["create_ms"],
        "release_ms": plain["release_ms"],
        "tasks": n,
    }


def run_child(n, trace):
    cmd = [sys.executable, os.path.abspath(__file__), CHILD, str(n), "trace" if trace else "plain"]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return parse_figures(out.strip().splitlines()[-1])


def parked1m_child(n, trace):
    """One run in this (fresh) process; prints its figures as one key=value line."""
    figures = {}

    async def main():
        loop = asyncio.get_running_loop()
        gate = loop.create_future()
        parked = 0

        async def waiter():
            nonlocal parked
            parked += 1
            await gate

        tasks = [None] * n
        gc.collect()
        before = traced_bytes() if trace else rss_bytes()

        t0 = time.perf_counter()
        for i in range(n):
            tasks[i] = loop.create_task(waiter())
        await asyncio.sleep(0)  # every task takes its first step and parks on the gate
        t1 = time.perf_counter()
        check(parked == n, f"parked1m: {parked} of {n} tasks reached the gate")
        live = len(asyncio.all_tasks()) - 1  # minus this main task
        check(live == n, f"parked1m: {live} tasks alive, expected {n}")
        check(not any(t.done() for t in tasks), "parked1m: a task is done, expected parked")

        gc.collect()
        after = traced_bytes() if trace else rss_bytes()

        t2 = time.perf_counter()
        gate.set_result(None)
        for t in tasks:
            await t
        t3 = time.perf_counter()
        check(len(asyncio.all_tasks()) == 1, "parked1m: tasks left after the release")

        if trace:
            figures["heap_bytes_per_task"] = (after - before) / n
            figures["heap_used_mb"] = after / (1024 * 1024)
        else:
            figures["rss_bytes_per_task"] = (after - before) / n
        figures["create_ms"] = (t1 - t0) * 1e3
        figures["release_ms"] = (t3 - t2) * 1e3
        figures["tasks"] = n

    if trace:
        tracemalloc.start()
    asyncio.run(main())
    print(format_figures(figures), flush=True)


def traced_bytes():
    return tracemalloc.get_traced_memory()[0]


def rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return -1


# ---- (c) sleep(0) ping-pong ------------------------------------------------------------------------------

def ping_pong(yields):
    async def pinger():
        for _ in range(yields):
            await asyncio.sleep(0)

    async def main():
        t0 = time.perf_counter_ns()
        a = asyncio.create_task(pinger())
        b = asyncio.create_task(pinger())
        await a
        await b
        return time.perf_counter_ns() - t0

    cpu = CpuClock()
    elapsed = asyncio.run(main())
    switches = 2 * yields
    return {"ns_per_switch": elapsed / switches, "switches": switches, "wall_ms": elapsed / 1e6, **cpu.stop()}


def run_once(workload, args):
    if workload == "sleep100k":
        return sleep100k(args["tasks"] or DEFAULT_TASKS["sleep100k"])
    if workload == "parked1m":
        return parked1m(args["tasks"] or DEFAULT_TASKS["parked1m"])
    return ping_pong(args["yields"])


def run_kernel_workload(workload, args, out):
    warmups = args["warmup"] if args["warmup"] is not None else (1 if workload == "parked1m" else 2)
    return run_workload(workload, lambda: run_once(workload, args), warmups, args["reps"], out)


USAGE = """usage: kernel_bench.py [all|sleep100k|parked1m|switch]... [--reps N] [--warmup N] [--tasks N] [--yields N] [--json]
  --reps N     measured runs per workload (default 5)
  --warmup N   unmeasured runs first (default 2 for sleep100k and switch, 1 for parked1m)
  --tasks N    tasks of sleep100k (default 100000) and parked1m (default 1000000)
  --yields N   sleep(0) calls per task in switch (default 1000000; two tasks)
  --json       figures as one JSON document on stdout (the text lines go to stderr)"""


def parse_args(argv):
    groups = {"all": list(HEADLINES), **{w: [w] for w in HEADLINES}}
    return parse_options(PROGRAM, USAGE, argv, {"reps": 5, "warmup": None, "tasks": None, "yields": 1_000_000},
                         {"--reps": 1, "--warmup": 0, "--tasks": 1, "--yields": 1}, groups)


def main(argv):
    if argv and argv[0] == CHILD:
        parked1m_child(int(argv[1]), argv[2] == "trace")
        return
    args = parse_args(argv)
    report("kernel benchmark", args["workloads"], lambda w, out: run_kernel_workload(w, args, out), args["json"])


if __name__ == "__main__":
    main(sys.argv[1:])
