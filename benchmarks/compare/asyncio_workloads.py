#!/usr/bin/python3
"""The comparison workloads on CPython: W1-W5 on asyncio (system ``asyncio``), W6-W8 on aiohttp (``aiohttp``).

One workload per process, as benchmarks/compare/run expects (the protocol of docs/benchmarks.md):

  /usr/bin/python3 asyncio_workloads.py <W1..W8> [--size N] [--url URL] [--concurrency N] [--seed N]
                                          [--warmup N] [--ca PEM]

prints one line ``result workload=W1 system=asyncio wall_ms=... key=value ...`` (the headline figure
first). --warmup N runs the workload N times first, unmeasured, in the same process: at the measured size,
except W4 and W7 at a tenth of it (warmup_size, the rule of every program of the harness). The workloads are written as an asyncio
user would write them; the time is measured inside the main coroutine, from the first task created to
the last one awaited. W4 runs in a fresh child process under tracemalloc (benchmarks/python/
kernel_bench.py's parked1m child). W8 is W6 over https, trusting the certificate in the PEM file --ca.
W6-W8 need aiohttp (Debian: python3-aiohttp, installed for
/usr/bin/python3); without it they exit 3.
"""

import asyncio
import math
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import kernel_bench  # noqa: E402  (benchmarks/python)

YIELDS = 1_000
QUEUE_SIZE = 100
DEFAULT_SIZES = {"W1": 1_000_000, "W2": 1_000, "W3": 1_000_000, "W4": 1_000_000, "W5": 100_000,
                 "W6": 100_000, "W7": 10_000, "W8": 100_000}
UNSUPPORTED = 3
USAGE = ("usage: asyncio_workloads.py W1..W8 [--size N] [--url URL] [--concurrency N] [--seed N] [--warmup N] "
         "[--ca PEM]")


def wall(t0):
    return {"wall_ms": (time.perf_counter() - t0) * 1e3}


async def w1_spawn_join(n):
    async def one():
        return 1

    t0 = time.perf_counter()
    tasks = [asyncio.create_task(one()) for _ in range(n)]
    total = 0
    for t in tasks:
        total += await t
    f = wall(t0)
    kernel_bench.check(total == n, f"W1: {total} of {n} tasks")
    return {**f, "tasks": n}


async def w2_yields(n):
    async def yielder():
        for _ in range(YIELDS):
            await asyncio.sleep(0)

    t0 = time.perf_counter()
    tasks = [asyncio.create_task(yielder()) for _ in range(n)]
    for t in tasks:
        await t
    return {**wall(t0), "switches": n * YIELDS}


async def w3_producer_consumer(n):
    q = asyncio.Queue(maxsize=QUEUE_SIZE)

    async def producer():
        for i in range(n):
            await q.put(i)

    async def consumer():
        total = 0
        for _ in range(n):
            total += await q.get()
        return total

    t0 = time.perf_counter()
    p = asyncio.create_task(producer())
    c = asyncio.create_task(consumer())
    await p
    total = await c
    f = wall(t0)
    kernel_bench.check(total == n * (n - 1) // 2, "W3: wrong items arrived")
    return {**f, "items": n, "queue_size": QUEUE_SIZE}


def w4_parked(n):
    traced = kernel_bench.run_child(n, True)
    return {"bytes_per_task": traced["heap_bytes_per_task"], "heap_used_mb": traced["heap_used_mb"], "tasks": n}


def sleeper_delays(n, seed):
    rnd = random.Random(seed)
    return [rnd.random() for _ in range(n)]


def lateness_figures(late, t0):
    late.sort()
    n = len(late)

    def pct(q):  # nearest rank, the rule of the Java side
        return late[max(0, min(n - 1, math.ceil(q * n) - 1))]

    return {"p99_late_ms": pct(0.99) * 1e3, "p50_late_ms": pct(0.50) * 1e3, "max_late_ms": late[-1] * 1e3,
            **wall(t0), "sleepers": n}


async def w5_sleepers(n, seed):
    delays = sleeper_delays(n, seed)
    late = [0.0] * n

    async def sleeper(k):
        due = time.perf_counter() + delays[k]
        await asyncio.sleep(delays[k])
        late[k] = time.perf_counter() - due

    t0 = time.perf_counter()
    tasks = [asyncio.create_task(sleeper(k)) for k in range(n)]
    for t in tasks:
        await t
    return lateness_figures(late, t0)


async def w6_get_file(n, url, concurrency, ca=None):
    """W6; W8 when url is https and ca the PEM file of its server's certificate (trusted, host name checked)."""
    import aiohttp
    import ssl
    remaining = n
    body_bytes = 0
    tls = ssl.create_default_context(cafile=ca) if ca else None
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency, ssl=tls if tls else True)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def worker():
            nonlocal remaining, body_bytes
            while remaining > 0:
                remaining -= 1
                async with session.get(url) as r:
                    r.raise_for_status()
                    n = len(await r.read())  # not body_bytes += ...: it reads body_bytes before the await
                    body_bytes += n

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - t0
    kernel_bench.check(body_bytes == 1024 * n, f"W6: {body_bytes} body bytes for {n} requests")
    return {"requests_per_s": n / elapsed, "requests": n, "concurrency": concurrency, "wall_ms": elapsed * 1e3}


async def w7_slow_urls(n, url):
    import aiohttp
    connector = aiohttp.TCPConnector(limit=n)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def fetch(i):
            async with session.get(f"{url}{i}") as r:
                r.raise_for_status()
                return len(await r.read())

        t0 = time.perf_counter()
        await asyncio.gather(*(fetch(i) for i in range(n)))
        f = wall(t0)
    return {**f, "requests": n}


def run(workload, size, url, concurrency, seed, ca=None):
    if workload == "W4":
        return w4_parked(size)
    mains = {
        "W1": lambda: w1_spawn_join(size),
        "W2": lambda: w2_yields(size),
        "W3": lambda: w3_producer_consumer(size),
        "W5": lambda: w5_sleepers(size, seed),
        "W6": lambda: w6_get_file(size, url, concurrency),
        "W7": lambda: w7_slow_urls(size, url),
        "W8": lambda: w6_get_file(size, url, concurrency, ca),
    }
    return asyncio.run(mains[workload]())


def warmup_size(workload, size):
    """A warm-up run's size: the measured one, except W4 (memory) and W7 (1 s answers) at a tenth."""
    return max(1, size // 10) if workload in ("W4", "W7") else size


def result_line(kind, workload, system, figures):
    line = " ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items())
    return f"{kind} workload={workload} system={system} {line}"


def main(argv):
    workload, size, url, concurrency, seed, warmup, ca = None, None, None, 256, 42, 0, None
    it = iter(argv)
    try:
        for a in it:
            if a in ("--size", "--concurrency", "--seed", "--url", "--warmup", "--ca"):
                v = next(it)
                if a == "--url":
                    url = v
                elif a == "--ca":
                    ca = v
                elif a == "--size":
                    size = int(v)
                elif a == "--concurrency":
                    concurrency = int(v)
                elif a == "--warmup":
                    warmup = int(v)
                else:
                    seed = int(v)
            elif a in DEFAULT_SIZES and workload is None:
                workload = a
            else:
                raise ValueError(f"unexpected argument {a}")
        if workload is None:
            raise ValueError("no workload given")
        if workload in ("W6", "W7", "W8") and url is None:
            raise ValueError(f"{workload} needs --url")
        if workload == "W8" and ca is None:
            raise ValueError("W8 needs --ca PEM (the server's certificate)")
    except (StopIteration, ValueError) as e:
        print(f"asyncio_workloads.py: {e or 'an option needs a value'}\n{USAGE}", file=sys.stderr)
        return 2
    system = "aiohttp" if workload in ("W6", "W7", "W8") else "asyncio"
    if system == "aiohttp":
        try:
            import aiohttp  # noqa: F401
        except ImportError:
            print(f"asyncio_workloads.py: aiohttp is not installed for {sys.executable}", file=sys.stderr)
            return UNSUPPORTED
    size = size or DEFAULT_SIZES[workload]
    for _ in range(warmup):
        warm = run(workload, warmup_size(workload, size), url, concurrency, seed, ca)
        print(result_line("warmup", workload, system, warm), flush=True)
    figures = run(workload, size, url, concurrency, seed, ca)
    figures["warmup"] = warmup
    print(result_line("result", workload, system, figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
