"""The sqlite workloads of benchmarks/sqlite/run on Python's aiosqlite (Debian's python3-aiosqlite).

Usage: aiosqlite_bench.py WORKLOAD DIR [--warmup N]
  WORKLOAD  insert | point | stream (the same as DatabaseBenchmark's; read.db comes from its setup)
Prints one line `result workload=W system=aiosqlite ms=T rows=N` for the measured run, after N unmeasured
warm-up runs in the same process (default 1). Same pragmas as the Java side: WAL, foreign keys on.
"""

import asyncio
import os
import random
import sys
import time

import aiosqlite

INSERTS = 100_000
POINT_ROWS = 100_000
TASKS = 100
QUERIES_PER_TASK = 1_000


async def connect(path):
    db = await aiosqlite.connect(path, timeout=5.0)
    await db.execute("PRAGMA journal_mode = WAL")
    await db.execute("PRAGMA foreign_keys = ON")
    return db


async def insert(directory):
    path = os.path.join(directory, "insert-aiosqlite.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    rows = [(i, f"name-{i}", i * 0.5) for i in range(INSERTS)]
    db = await connect(path)
    try:
        await db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, value REAL)")
        await db.execute("BEGIN IMMEDIATE")
        cur = await db.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
        n = cur.rowcount
        await db.commit()
        return n
    finally:
        await db.close()


async def point(directory):
    db = await connect(os.path.join(directory, "read.db"))

    async def worker(task):
        rng = random.Random(task)
        found = 0
        for _ in range(QUERIES_PER_TASK):
            async with db.execute("SELECT name, value FROM points WHERE id = ?", (rng.randint(1, POINT_ROWS),)) as cur:
                row = await cur.fetchone()
                found += 1 if row[0] else 0
        return found

    try:
        return sum(await asyncio.gather(*(worker(t) for t in range(TASKS))))
    finally:
        await db.close()


async def stream(directory):
    db = await connect(os.path.join(directory, "read.db"))
    try:
        n = 0
        total = 0
        async with db.execute("SELECT id, name, value FROM big") as cur:
            async for row in cur:  # iter_chunk_size 64, aiosqlite's default
                total += row[0]
                n += 1
        return n if total > 0 else -1
    finally:
        await db.close()


def main():
    args = sys.argv[1:]
    if len(args) < 2 or args[0] not in ("insert", "point", "stream"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    workload, directory = args[0], args[1]
    warmup = int(args[3]) if len(args) >= 4 and args[2] == "--warmup" else 1
    fn = {"insert": insert, "point": point, "stream": stream}[workload]
    for _ in range(warmup):
        asyncio.run(fn(directory))
    t0 = time.perf_counter()
    rows = asyncio.run(fn(directory))
    ms = (time.perf_counter() - t0) * 1000
    print(f"result workload={workload} system=aiosqlite ms={ms:.1f} rows={rows}")


if __name__ == "__main__":
    main()
