/*
 * The kotlinx.coroutines peer of the comparison harness (benchmarks/compare, issue 7): workloads W1-W5
 * written the way a Kotlin programmer would write them, on one thread.
 *
 *   java -cp peers-kotlin.jar io.asyncio4j.benchmarks.peers.KotlinWorkloadsKt <W1..W5> [--size N] [options]
 *
 * The command line and the output follow the harness's protocol (benchmarks/compare: WorkloadProgram): the
 * workload's name and the options in any order, one `result workload=.. system=kotlinx HEADLINE=..` line, exit 0;
 * exit 2 on a usage error, exit 3 for W6/W7 (no kotlinx peer: the HTTP peer is VertxWorkloads). `--url` and
 * `--concurrency` are accepted and ignored, so the harness can pass every program the same options.
 *
 * One process measures one workload once. `--warmup N` (default 0) first runs the same workload N times
 * in-process, unmeasured, each printing a `warmup workload=...` line: at the measured size, except W4 at a
 * tenth of it (the harness's rule for every program, WorkloadProgram.warmupSize). Then the measured run prints
 * exactly one line starting with `result ` (headline key first, `warmup=N`); the dispatcher is named on a
 * line of its own before it (`# dispatcher=...`: the result line holds numbers only).
 *
 * Dispatcher: every workload runs inside `runBlocking { }`, whose event loop runs every coroutine launched
 * in it on the calling thread: the Kotlin counterpart of `asyncio.run` (one loop, one thread, delays on the
 * loop's own timer queue). `--dispatcher single-thread` runs the same code in
 * `runBlocking(newSingleThreadContext(..))` instead, the other single-thread dispatcher kotlinx offers
 * (a ScheduledThreadPoolExecutor of one thread; the main thread only waits).
 */
package io.asyncio4j.benchmarks.peers

import java.lang.management.ManagementFactory
import java.util.Locale
import java.util.SplittableRandom
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.system.exitProcess
import kotlin.time.Duration.Companion.nanoseconds
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.ExecutorCoroutineDispatcher
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.newSingleThreadContext
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.yield

private const val SYSTEM = "kotlinx"

private const val USAGE = """usage: KotlinWorkloadsKt <W1..W5> [--size N] [--seed N] [--queue-size N] [--yields N]
                         [--dispatcher runBlocking|single-thread] [--warmup N] [--url URL] [--concurrency N]
  W1  spawn 1,000,000 coroutines (async { 1 }) and await each                   -> wall_ms
  W2  1,000 coroutines x 1,000 yield()                                         -> wall_ms
  W3  1,000,000 items from a producer to a consumer through Channel(100)       -> wall_ms
  W4  1,000,000 coroutines suspended on one CompletableDeferred: heap each     -> bytes_per_task
  W5  100,000 coroutines delay() a seeded random [0, 1) s: wake-up lateness    -> p99_late_ms
  --size N        the workload's count (W1: coroutines, W2: coroutines, W3: items, W4, W5: coroutines)
  --seed N        W5's random seed (default 42)
  --queue-size N  W3's channel capacity (default 100, the harness's queue size)
  --yields N      W2's yields per coroutine (default 1000)
  --warmup N      first run the workload N times unmeasured in this process (default 0), at the same
                  size (W4: a tenth of it)
  --url, --concurrency  accepted and ignored (HTTP options of the other programs)
W6 and W7 (HTTP) have no kotlinx peer (exit 3): see VertxWorkloads."""

/** Exit status for a workload this program does not run (the harness's convention). */
private const val UNSUPPORTED = 3

/** W3's channel capacity: the harness's bounded queue size (WorkloadProgram.QUEUE_SIZE). */
private const val QUEUE_SIZE = 100

/** The parsed command line; `size` is null when the workload's default applies. */
private class Options(
    val workload: String,
    val size: Int?,
    val queueSize: Int,
    val yields: Int,
    val seed: Long,
    val singleThread: Boolean,
    val warmup: Int,
)

/** A run's figures, in print order (the headline first). */
private typealias Figures = LinkedHashMap<String, Any>

fun main(args: Array<String>) {
    val o = parse(args)
    val defaultSize = when (o.workload) {
        "W1", "W3", "W4" -> 1_000_000
        "W2" -> 1_000
        "W5" -> 100_000
        "W6", "W7" -> {
            System.err.println("KotlinWorkloadsKt: kotlinx does not run ${o.workload} (the HTTP peer is VertxWorkloads)")
            exitProcess(UNSUPPORTED)
        }
        else -> usageError("unknown workload '${o.workload}' (W1..W7)")
    }
    val size = o.size ?: defaultSize
    val warmupSize = if (o.workload == "W4") maxOf(1, size / 10) else size
    repeat(o.warmup) {
        println(line("warmup", o.workload, run(o, warmupSize)))
    }
    val figures = run(o, size)
    figures["warmup"] = o.warmup
    println("# dispatcher=" + if (o.singleThread) "single-thread" else "runBlocking")
    println(line("result", o.workload, figures))
}

/** Runs one workload at [n] in a fresh `runBlocking`, the way it is measured. */
@OptIn(DelicateCoroutinesApi::class, ExperimentalCoroutinesApi::class) // newSingleThreadContext
private fun run(o: Options, n: Int): Figures {
    val dispatcher: ExecutorCoroutineDispatcher? = if (o.singleThread) newSingleThreadContext("kotlinx-peer") else null
    val context: CoroutineContext = dispatcher ?: EmptyCoroutineContext
    try {
        return when (o.workload) {
            "W1" -> spawnAndJoin(context, n)
            "W2" -> yields(context, n, o.yields)
            "W3" -> producerConsumer(context, n, o.queueSize)
            "W4" -> parked(context, n)
            else -> sleepers(context, n, o.seed)
        }
    } finally {
        dispatcher?.close()
    }
}

// ---- W1: spawn and join ------------------------------------------------------------------------------------

/** Starts [n] coroutines that each return 1, then awaits each in order and checks the sum. */
private fun spawnAndJoin(context: CoroutineContext, n: Int): Figures {
    var sum = 0L
    val t0 = System.nanoTime()
    runBlocking(context) {
        val tasks = Array(n) { async { 1 } }
        for (t in tasks) sum += t.await()
    }
    val wallNs = System.nanoTime() - t0
    check(sum == n.toLong()) { "W1: $sum of $n coroutines" }
    return figures("wall_ms" to ms(wallNs), "tasks" to n)
}

// ---- W2: yields -------------------------------------------------------------------------------------------

/** [n] coroutines each call `yield()` [perTask] times; every yield lets the other coroutines run. */
private fun yields(context: CoroutineContext, n: Int, perTask: Int): Figures {
    var count = 0L
    val t0 = System.nanoTime()
    runBlocking(context) {
        List(n) {
            launch {
                repeat(perTask) {
                    yield()
                    count++ // one thread runs every coroutine
                }
            }
        }.joinAll()
    }
    val wallNs = System.nanoTime() - t0
    check(count == n.toLong() * perTask) { "W2: $count yields, expected ${n.toLong() * perTask}" }
    return figures("wall_ms" to ms(wallNs), "switches" to count, "tasks" to n)
}

// ---- W3: producer/consumer ----------------------------------------------------------------------------------

/**
 * A producer coroutine sends [n] ints into a `Channel(capacity)`, a consumer coroutine receives [n]; the main
 * coroutine awaits both (as the asyncio4j program does with its two tasks and a `Queue`).
 */
private fun producerConsumer(context: CoroutineContext, n: Int, capacity: Int): Figures {
    var sum = 0L
    val t0 = System.nanoTime()
    runBlocking(context) {
        val channel = Channel<Int>(capacity)
        val producer = launch {
            for (i in 0 until n) channel.send(i)
        }
        val consumer = async {
            var s = 0L
            repeat(n) { s += channel.receive() }
            s
        }
        producer.join()
        sum = consumer.await()
    }
    val wallNs = System.nanoTime() - t0
    check(sum == n.toLong() * (n - 1) / 2) { "W3: sum of received items is $sum" }
    return figures("wall_ms" to ms(wallNs), "items" to n, "queue_size" to capacity)
}

// ---- W4: memory per parked coroutine -------------------------------------------------------------------------

/**
 * As KernelBenchmark's parked1m: [n] coroutines each count themselves and await one shared
 * `CompletableDeferred`; one `yield()` of the main coroutine lets every one of them start and suspend (they
 * were queued before it). Heap used after a full GC with all suspended, minus before, divided by [n]; the
 * array of the [n] Jobs is included, as the Task array is on the asyncio4j side.
 */
private fun parked(context: CoroutineContext, n: Int): Figures {
    val f = Figures()
    runBlocking(context) {
        val gate = CompletableDeferred<Unit>()
        var parked = 0
        val jobs = arrayOfNulls<Job>(n)
        val heapBefore = usedHeapAfterFullGc()

        val t0 = System.nanoTime()
        for (i in 0 until n) {
            jobs[i] = launch {
                parked++
                gate.await()
            }
        }
        yield() // every coroutine takes its first step and suspends on the gate
        val t1 = System.nanoTime()
        check(parked == n) { "W4: $parked of $n coroutines reached the gate" }
        for (j in jobs) check(j!!.isActive && !j.isCompleted) { "W4: $j is not suspended" }

        val heapParked = usedHeapAfterFullGc()

        val t2 = System.nanoTime()
        gate.complete(Unit)
        for (j in jobs) j!!.join()
        val t3 = System.nanoTime()

        f["bytes_per_task"] = fmt((heapParked - heapBefore).toDouble() / n)
        f["heap_used_mb"] = fmt(heapParked / (1024.0 * 1024.0))
        f["create_ms"] = ms(t1 - t0)
        f["release_ms"] = ms(t3 - t2)
        f["tasks"] = n
    }
    return f
}

/** Heap used after a full GC, repeated until the figure settles (as KernelBenchmark does). */
private fun usedHeapAfterFullGc(): Long {
    val memory = ManagementFactory.getMemoryMXBean()
    var used = Long.MAX_VALUE
    repeat(5) {
        System.gc()
        val u = memory.heapMemoryUsage.used
        if (u >= used - 64 * 1024) return minOf(u, used)
        used = u
    }
    return used
}

// ---- W5: sleepers ---------------------------------------------------------------------------------------------

/**
 * [n] coroutines each `delay()` a delay in seconds drawn uniformly from [0, 1) by `SplittableRandom(seed)`,
 * the same draws as the harness's Java programs (WorkloadProgram.sleeperDelays). Each takes its deadline from
 * the real clock (System.nanoTime) just before it delays; its lateness is the clock when it resumes minus that
 * deadline. kotlinx's timers count whole milliseconds: `delay(Duration)` rounds up to the next millisecond,
 * which is part of what this workload measures (on average half a millisecond of lateness).
 */
private fun sleepers(context: CoroutineContext, n: Int, seed: Long): Figures {
    val delays = SplittableRandom(seed).doubles(n.toLong(), 0.0, 1.0).toArray()
    val lateNs = LongArray(n)
    val t0 = System.nanoTime()
    runBlocking(context) {
        List(n) { i ->
            launch {
                val d = (delays[i] * 1e9).toLong()
                val due = System.nanoTime() + d
                delay(d.nanoseconds)
                lateNs[i] = System.nanoTime() - due
            }
        }.joinAll()
    }
    val wallNs = System.nanoTime() - t0
    lateNs.sort()
    return figures(
        "p99_late_ms" to ms(percentile(lateNs, 0.99)),
        "p50_late_ms" to ms(percentile(lateNs, 0.50)),
        "max_late_ms" to ms(lateNs[n - 1]),
        "wall_ms" to ms(wallNs),
        "sleepers" to n,
        "seed" to seed,
    )
}

/** Nearest-rank percentile of a sorted array. */
private fun percentile(sorted: LongArray, p: Double): Long =
    sorted[maxOf(0, kotlin.math.ceil(p * sorted.size).toInt() - 1)]

// ---- command line and output ----------------------------------------------------------------------------------

private fun parse(args: Array<String>): Options {
    if (args.isEmpty() || args[0] == "-h" || args[0] == "--help") {
        println(USAGE)
        exitProcess(if (args.isEmpty()) 2 else 0)
    }
    var workload: String? = null
    var size: Int? = null
    var queueSize = QUEUE_SIZE
    var yields = 1_000
    var seed = 42L
    var singleThread = false
    var warmup = 0
    var i = 0
    fun value(name: String): String = args.getOrNull(++i) ?: usageError("$name needs a value")
    fun positive(name: String): Int {
        val v = value(name)
        return v.toIntOrNull()?.takeIf { it > 0 } ?: usageError("$name must be a positive integer, got '$v'")
    }
    while (i < args.size) {
        when (val a = args[i]) {
            "--size" -> size = positive(a)
            "--queue-size" -> queueSize = positive(a)
            "--yields" -> yields = positive(a)
            "--seed" -> seed = value(a).let { it.toLongOrNull() ?: usageError("--seed must be an integer, got '$it'") }
            "--dispatcher" -> singleThread = when (val d = value(a)) {
                "runBlocking" -> false
                "single-thread" -> true
                else -> usageError("--dispatcher must be runBlocking or single-thread, got '$d'")
            }
            "--warmup" -> warmup = value(a).let {
                it.toIntOrNull()?.takeIf { n -> n >= 0 } ?: usageError("--warmup must be an integer >= 0, got '$it'")
            }
            "--url", "--concurrency" -> value(a) // the HTTP workloads' options: not used here
            else -> {
                if (a.startsWith("-") || workload != null) usageError("unexpected argument '$a'")
                workload = a
            }
        }
        i++
    }
    return Options(workload ?: usageError("no workload given"), size, queueSize, yields, seed, singleThread, warmup)
}

private fun usageError(message: String): Nothing {
    System.err.println("KotlinWorkloadsKt: $message (--help for usage)")
    exitProcess(2)
}

private fun figures(vararg pairs: Pair<String, Any>): Figures = Figures().apply { putAll(pairs) }

private fun line(kind: String, workload: String, f: Figures): String =
    "$kind workload=$workload system=$SYSTEM " + f.entries.joinToString(" ") { (k, v) -> "$k=$v" }

private fun ms(ns: Long): String = fmt(ns / 1e6)

private fun fmt(x: Double): String = String.format(Locale.ROOT, "%.3f", x)
