package io.asyncio4j;

import io.asyncio4j.internal.carrier.CarrierBackend;
import io.asyncio4j.internal.carrier.LoopThreadContainer;
import io.asyncio4j.internal.diag.Diagnostics;
import io.asyncio4j.internal.introspect.Introspection;
import io.asyncio4j.internal.introspect.TaskEvents;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * One event loop: runs callbacks and tasks, one at a time, on one platform thread (asyncio's
 * {@code AbstractEventLoop}). Loops are made by {@link Runner} (and {@link Asyncio#run}); inside a task or
 * callback, {@link Asyncio#getRunningLoop()} returns the running one.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * EventLoop loop = Asyncio.getRunningLoop();
 * TimerHandle h = loop.callLater(Duration.ofSeconds(1), () -> System.out.println("tick"));
 * double now = loop.time();                     // seconds on the loop's monotonic clock
 * }</pre>
 *
 * <h2>Order of events</h2>
 * Each iteration moves work that other threads submitted to the ready queue, moves due timers to it, and
 * then runs exactly the entries that were ready at that point, in order; entries they add run in the next
 * iteration. A task is one entry each time it becomes runnable. This is asyncio's {@code _run_once}, with one
 * difference on real time only: an iteration that runs many entries (more than 64) looks at the clock after
 * every 64; timers that came due meanwhile run then, and the tasks they wake run right after them, ahead of
 * the rest of the iteration (so a sleep ends on time while 100,000 new tasks take their first steps). On
 * virtual time the clock does not move during an iteration, and the order is exactly asyncio's.
 *
 * <h2>Thread-safety</h2>
 * Only {@link #callSoonThreadsafe}, {@link #time()}, {@link #isRunning()}, {@link #isClosed()} and the
 * debug getters may be called from any thread. Everything else must be called on the loop's thread while
 * it runs (or before it first runs): from another thread, use {@code callSoonThreadsafe}.
 *
 * <h2>Virtual time</h2>
 * A loop built with {@code Runner.builder().virtualTime(true)} starts its clock at 0 and never sleeps
 * while waiting for timers: when nothing is ready and every live task waits in one of this library's
 * waits (and no {@code toThread} work is in flight), the clock jumps to the next timer. While some task
 * waits in a JDK call, the loop waits for real events and its clock advances by the time really waited.
 */
public final class EventLoop {
    /*
     * Implementation overview.
     *
     * Loop-thread state (ready, timers, liveTasks, counters) is plain fields: only the loop thread touches
     * it, and tasks run on the loop thread too. Other threads reach the loop only through `inbox`, a
     * lock-free MPSC queue, and wake it with LockSupport.unpark when it sleeps (`sleeping` handshake:
     * the loop sets sleeping=true then re-checks the inbox; a producer adds then checks sleeping).
     *
     * The ready queue holds Handles (callbacks, due timers) and Tasks (task steps). Running a task's entry
     * mounts its virtual thread on this thread until it parks or ends; at its first step the task takes a
     * thread from `carriers` (the threads of ended tasks) or makes one.
     *
     * Virtual time: loopWaiting counts live tasks parked in the kernel's one wait (KernelWait, which calls
     * waitStarted / waitEnded);
     * ExecutorBridge counts toThread/runInExecutor/wrap work in flight. The clock may jump only when
     * loopWaiting == the number of live tasks and nothing is in flight: then nothing but a timer can wake anyone.
     *
     * The watchdog thread reads `runningEntry` and `entrySeq` (release/acquire) to notice an entry that
     * holds the loop too long, without any cost on the loop beyond two ordered stores per entry. The same
     * `runningEntry` says which task runs now (current(), isLoopThread()): a task step stores no other field
     * of the loop.
     */
    static final System.Logger LOG = System.getLogger("io.asyncio4j");
    /** The sockRecvInto calls of one task step after which it yields (see takeTurnAfterManyReads). */
    static final int READS_BEFORE_YIELD = 16;
    private static final long ORIGIN = System.nanoTime();
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final ThreadLocal<EventLoop> RUNNING = new ThreadLocal<>();
    // on real time, an iteration looks at the clock after this many entries, and runs the timers due by then
    static final int TIMER_CHECK_ENTRIES = 64;
    // an iteration that runs more entries than this leaves an empty ready queue behind it, not its array: an
    // ArrayDeque never shrinks, and a burst of a million first steps would keep 4-8 MB (CPython's deque frees
    // its blocks as it empties)
    static final int SHRINK_READY_AFTER = 1 << 16;
    private static final VarHandle ENTRY_SEQ;
    private static final VarHandle RUNNING_ENTRY;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            ENTRY_SEQ = l.findVarHandle(EventLoop.class, "entrySeq", long.class);
            RUNNING_ENTRY = l.findVarHandle(EventLoop.class, "runningEntry", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        Diagnostics.setAccess(new DiagnosticsAccess());
    }

    final int id;
    private final CarrierBackend backend;
    private final boolean virtualTime;
    private final ExecutorBridge executors;

    // ---- loop-thread state -----------------------------------------------------------------------------
    // replaced by an empty one at the last entry of an iteration of more than SHRINK_READY_AFTER entries, when
    // nothing was added meanwhile (runOnce)
    private ArrayDeque<Object> ready = new ArrayDeque<>();
    // entries moved ahead of the rest of an iteration (runTimersDueMeanwhile), empty between its calls
    private final ArrayDeque<Object> spare = new ArrayDeque<>();
    private final TimerHeap timers = new TimerHeap();
    // the live tasks in creation order: an intrusive doubly linked list through Task.livePrev/liveNext (no
    // allocation per task, unlike a LinkedHashSet entry)
    private Task<?> liveHead;
    private Task<?> liveTail;
    private int liveCount;
    private final LinkedHashSet<Future<?>> unretrieved = new LinkedHashSet<>();
    // in debug mode, where each task was created (for the report of an exception nobody retrieved); kept
    // beside the tasks rather than in them, so that a task costs no field for it when debug is off. Weak:
    // an entry goes with its task. Loop thread only
    private final WeakHashMap<Task<?>, Throwable> creationTraces = new WeakHashMap<>();
    // channels that tasks wait on (sockRecvInto, sockSendAll, sockConnect); package-private for the tests of its interest
    final LoopSelector io = new LoopSelector();
    // sockRecvInto calls in the current entry (a task step) and that entry's number (see takeTurnAfterManyReads);
    // loop thread only
    private long readsEntry = -1;
    private int readsInEntry;
    // the idle threads of ended tasks, for the next tasks' first steps; loop thread only
    private final CarrierPool carriers = new CarrierPool();
    // the JDK thread container every task thread of this loop starts in (thread dumps list them under the
    // loop's name); made by the constructor, closed by close()
    private final LoopThreadContainer threadContainer;
    private long timerSeq;
    // the lanes of the timeout scopes opened with a delay (one timer per lane, not per scope); loop thread only
    final TimeoutLanes timeoutLanes = new TimeoutLanes(this);
    private int cancelledTimers;
    private int taskCounter;
    // live tasks in the kernel's wait (KernelWait); written through waitStarted/waitEnded, loop thread only
    private int loopWaiting;
    private boolean stopping;
    private Throwable fatal;
    private Future<?> mainFuture;

    // ---- shared with other threads ---------------------------------------------------------------------
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    // the loop thread while it runs, else null; written by the loop thread, read by any
    private volatile Thread thread;
    private volatile boolean sleeping;
    private volatile boolean closed;
    // virtual clock in nanoseconds; written by the loop thread, read by any (time())
    private volatile long virtualNanos;
    private volatile boolean debug;
    private volatile long slowCallbackNanos;
    private volatile boolean slowCallbackExplicit;
    private volatile ExceptionHandler exceptionHandler;
    // for the watchdog: written by the loop thread with release, read by the watchdog with acquire; the
    // running entry (a Task or a Handle, from the start of its run until the next entry or the end of the
    // iteration) is also read plainly on the loop thread (current(), isLoopThread())
    @SuppressWarnings("unused")
    private long entrySeq;
    private Object runningEntry;

    EventLoop(boolean debug, boolean virtualTime, Duration slowCallback, Executor defaultExecutor, CarrierBackend backend) {
        this.id = IDS.incrementAndGet();
        this.backend = backend;
        this.virtualTime = virtualTime;
        this.executors = new ExecutorBridge(this, defaultExecutor);
        this.debug = debug;
        this.slowCallbackExplicit = slowCallback != null;
        this.slowCallbackNanos = slowCallback != null ? slowCallback.toNanos() : defaultSlowCallbackNanos(debug);
        this.threadContainer = LoopThreadContainer.open("EventLoop-" + id, this::taskThreadsRacy);
        Diagnostics.loopCreated(this);
    }

    private static long defaultSlowCallbackNanos(boolean debug) {
        return debug ? TimeUnit.MILLISECONDS.toNanos(100) : TimeUnit.SECONDS.toNanos(1);
    }

    // ---- the clock -------------------------------------------------------------------------------------

    /** Seconds on the loop's monotonic clock (asyncio's {@code loop.time()}). */
    public double time() {
        return nowNanos() / 1e9;
    }

    long nowNanos() {
        return virtualTime ? virtualNanos : System.nanoTime() - ORIGIN;
    }

    /** Whether this loop runs on virtual time. */
    public boolean isVirtualTime() {
        return virtualTime;
    }

    // ---- scheduling callbacks --------------------------------------------------------------------------

    /** Runs {@code callback} in a later iteration, after the callbacks already scheduled (FIFO). */
    public Handle callSoon(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        ensureOnLoopThread("EventLoop.callSoon()");
        ensureNotClosed("EventLoop.callSoon()");
        Handle h = new Handle(this, callback, Context.captureForCallback());
        ready.addLast(h);
        return h;
    }

    /** Like {@link #callSoon} but callable from any thread; wakes the loop. */
    public Handle callSoonThreadsafe(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        ensureNotClosed("EventLoop.callSoonThreadsafe()");
        Handle h = new Handle(this, callback, Context.captureForCallback());
        if (isLoopThread()) {
            ready.addLast(h);
        } else {
            inbox.add(h);
            wakeUp();
        }
        return h;
    }

    /** Runs {@code callback} after {@code delay} on the loop clock. */
    public TimerHandle callLater(Duration delay, Runnable callback) {
        Objects.requireNonNull(delay, "delay");
        return callAtNanos(saturatedAdd(nowNanos(), delay.toNanos()), callback, "EventLoop.callLater()");
    }

    /** Runs {@code callback} after {@code delaySeconds} on the loop clock. */
    public TimerHandle callLater(double delaySeconds, Runnable callback) {
        return callAtNanos(saturatedAdd(nowNanos(), secondsToNanos(delaySeconds, "delay")), callback,
                "EventLoop.callLater()");
    }

    /** Runs {@code callback} when {@link #time()} reaches {@code whenSeconds}. */
    public TimerHandle callAt(double whenSeconds, Runnable callback) {
        return callAtNanos(secondsToNanos(whenSeconds, "when"), callback, "EventLoop.callAt()");
    }

    private TimerHandle callAtNanos(long when, Runnable callback, String api) {
        Objects.requireNonNull(callback, "callback");
        ensureOnLoopThread(api);
        ensureNotClosed(api);
        return addTimer(when, callback, Context.captureForCallback());
    }

    TimerHandle callLaterInternal(long delayNanos, Runnable callback) {
        return addTimer(new TimerHandle(this, deadlineAfter(delayNanos), callback, null));
    }

    /** The loop time {@code delayNanos} from now, saturated. */
    long deadlineAfter(long delayNanos) {
        return saturatedAdd(nowNanos(), delayNanos);
    }

    private TimerHandle addTimer(long when, Runnable callback, Context context) {
        return addTimer(new TimerHandle(this, when, callback, context));
    }

    /** Puts {@code h}, made by the caller (a task's sleep is its own timer), into the timer heap. */
    <H extends TimerHandle> H addTimer(H h) {
        h.scheduled = true;
        timers.add(h, timerSeq++);
        return h;
    }

    /**
     * Puts {@code h} into the timer heap with the sequence number {@code seq} taken earlier
     * ({@link #takeTimerSeq}): among timers due at the same time it runs where a timer added at that moment would.
     */
    TimerHandle addTimer(TimerHandle h, long seq) {
        h.scheduled = true;
        timers.add(h, seq);
        return h;
    }

    /** The sequence number the next timer added now would get, taken for {@link #addTimer(TimerHandle, long)}. */
    long takeTimerSeq() {
        return timerSeq++;
    }

    void timerCancelled() {
        cancelledTimers++;
        // asyncio's rule: rebuild the heap once cancelled timers are the majority (amortised O(1))
        if (cancelledTimers > 64 && cancelledTimers * 2 > timers.size()) {
            timers.removeCancelled();
            cancelledTimers = 0;
        }
    }

    /** Schedules an internal callback with the given context (null: none) on the loop thread. */
    void schedule(Runnable callback, Context context) {
        ready.addLast(new Handle(this, callback, context));
    }

    /** callSoonThreadsafe for library internals: silently dropped once the loop is closed. */
    void callSoonThreadsafeInternal(Runnable callback) {
        if (closed) {
            return;
        }
        Handle h = new Handle(this, callback, null);
        if (isLoopThread()) {
            ready.addLast(h);
        } else {
            inbox.add(h);
            wakeUp();
        }
    }

    private void wakeUp() {
        if (sleeping) {
            if (io.selecting) {
                io.wakeup();
                return;
            }
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    static long secondsToNanos(double seconds, String what) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException(what + " must be a number of seconds, got NaN");
        }
        if (seconds >= Long.MAX_VALUE / 1e9) {
            return Long.MAX_VALUE;
        }
        if (seconds <= Long.MIN_VALUE / 1e9) {
            return Long.MIN_VALUE;
        }
        return (long) (seconds * 1e9);
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    // ---- futures and tasks -----------------------------------------------------------------------------

    /** A new pending future bound to this loop. */
    public <T> Future<T> createFuture() {
        ensureOnLoopThread("EventLoop.createFuture()");
        ensureNotClosed("EventLoop.createFuture()");
        return new Future<>(this);
    }

    /** Schedules {@code coro} as a new task named {@code name} (or {@code Task-N} when null). */
    public <T> Task<T> createTask(Callable<T> coro, String name) {
        return createTask(coro, name, null);
    }

    /**
     * Schedules {@code coro} as a new task that runs in {@code context} (null: a copy of the current
     * context, as asyncio does). The task starts when the caller next waits.
     */
    public <T> Task<T> createTask(Callable<T> coro, String name, Context context) {
        Objects.requireNonNull(coro, "coro");
        return newTask(coro, name, context);
    }

    /**
     * {@link #createTask(Callable, String)} for a void body, which the task calls as it is (no
     * {@code asCallable()} wrapper: two frames fewer on its stack while it waits, see Task.coro).
     */
    Task<Void> createTask(ThrowingRunnable coro, String name) {
        Objects.requireNonNull(coro, "coro");
        return newTask(coro instanceof Callable<?> ? coro.asCallable() : coro, name, null);
    }

    /** A new task of {@code coro}, a {@code Callable<T>} or (T being Void) a {@code ThrowingRunnable}. */
    private <T> Task<T> newTask(Object coro, String name, Context context) {
        ensureOnLoopThread("EventLoop.createTask()");
        ensureNotClosed("EventLoop.createTask()");
        Task<T> task = new Task<>(this, coro, name, name != null ? 0 : ++taskCounter,
                context != null ? context : Context.captureForCallback());
        if (debug) {
            creationTraces.put(task, new Throwable("task created here"));
        }
        linkLive(task);
        TaskEvents.started(this, task);
        task.start();
        return task;
    }

    /** The tasks of this loop that are not done yet (asyncio's {@code all_tasks}), in creation order. */
    public Set<Task<?>> allTasks() {
        ensureOnLoopThread("EventLoop.allTasks()");
        return Collections.unmodifiableSet(new LinkedHashSet<>(liveTasks()));
    }

    /** A snapshot of the live tasks, in creation order. */
    List<Task<?>> liveTasks() {
        List<Task<?>> out = new ArrayList<>(liveCount);
        for (Task<?> t = liveHead; t != null; t = t.liveNext) {
            out.add(t);
        }
        return out;
    }

    private void linkLive(Task<?> task) {
        task.live = true;
        task.livePrev = liveTail;
        if (liveTail == null) {
            liveHead = task;
        } else {
            liveTail.liveNext = task;
        }
        liveTail = task;
        liveCount++;
    }

    void taskEnded(Task<?> task) {
        if (!task.live) {
            return;
        }
        task.live = false;
        Task<?> p = task.livePrev;
        Task<?> n = task.liveNext;
        if (p == null) {
            liveHead = n;
        } else {
            p.liveNext = n;
        }
        if (n == null) {
            liveTail = p;
        } else {
            n.livePrev = p;
        }
        task.livePrev = null;
        task.liveNext = null;
        liveCount--;
    }

    /**
     * The task whose step runs now (from the start of its entry until the next entry starts), else null;
     * loop thread. It is the watchdog's `runningEntry`: one field written per entry, not two (a reference
     * stored into the long-lived loop costs a garbage collector's write barrier each time).
     */
    Task<?> current() {
        return runningEntry instanceof Task<?> t ? t : null;
    }

    /** The number of live tasks, read by any thread without synchronisation (may be stale). */
    int liveTaskCountRacy() {
        return liveCount;
    }

    /** How this loop's tasks get their virtual threads. */
    CarrierBackend backend() {
        return backend;
    }

    /** The idle threads of ended tasks; loop thread only. */
    CarrierPool carrierPool() {
        return carriers;
    }

    /** The thread container of this loop's task threads ({@link Task#step} starts each new thread in it). */
    LoopThreadContainer threadContainer() {
        return threadContainer;
    }

    /**
     * The virtual threads of this loop's tasks, for a thread dump, on any thread: those of the live tasks that
     * have one, then those waiting in the carrier pool. The lists are read without synchronisation: a dump
     * taken while the loop runs may miss a thread that changes hands meanwhile (the container's count does
     * not). The live list is safe to walk all the same: its links only ever point to later tasks, or are null.
     */
    private Stream<Thread> taskThreadsRacy() {
        List<Thread> out = new ArrayList<>();
        for (Task<?> t = liveHead; t != null; t = t.liveNext) {
            Thread thread = t.thread();
            if (thread != null) {
                out.add(thread);
            }
        }
        carriers.addThreadsRacy(out);
        return out.stream();
    }

    /** Queues a step of {@code task}: its first, or (from its carrier, on any thread) its thread became runnable. */
    void submitStep(Task<?> task) {
        if (isLoopThread()) {
            ready.addLast(task);
        } else if (closed) {
            // Only a task that outlived its loop (never after Runner.close) gets here: let it finish elsewhere.
            task.runOrphaned();
        } else {
            inbox.add(task);
            wakeUp();
        }
    }

    /** Mounts the task's virtual thread on this thread until it parks or ends. */
    void runStep(Task<?> task, Runnable step) {
        // Mounting a virtual thread clears the carrier's interrupt status: look at it first (see runOnce).
        noticeLoopInterrupt();
        step.run(); // called inside runEntry(task): the task is current() while it runs
    }

    /** A task started a wait of the kernel ({@link KernelWait}); loop thread. */
    void waitStarted() {
        loopWaiting++;
    }

    /** A task's kernel wait was woken; loop thread. */
    void waitEnded() {
        loopWaiting--;
    }

    void fatal(Throwable e) {
        if (fatal == null) {
            fatal = e;
        }
        stopping = true;
    }

    // ---- executors -------------------------------------------------------------------------------------

    /**
     * Runs {@code fn} on {@code executor} (null: the loop's default executor of platform threads) in a
     * copy of the current context, and returns a future of its result (asyncio's {@code run_in_executor}).
     * Cancelling the future does not interrupt the worker: work that has not started yet is skipped, work
     * that has started runs to its end and its result is dropped.
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> fn) {
        Objects.requireNonNull(fn, "fn");
        ensureOnLoopThread("EventLoop.runInExecutor()");
        ensureNotClosed("EventLoop.runInExecutor()");
        return executors.submit(executor, fn);
    }

    <T> Future<T> wrap(CompletionStage<T> stage) {
        return executors.wrap(stage);
    }

    // ---- running ---------------------------------------------------------------------------------------

    /** Whether the loop is running now. */
    public boolean isRunning() {
        return thread != null;
    }

    /** Whether the loop is closed (its Runner closed it); a closed loop accepts no work. */
    public boolean isClosed() {
        return closed;
    }

    /** Runs until {@code future} is done; the Runner's entry point. */
    void runUntilComplete(Future<?> future) {
        mainFuture = future;
        future.addElement(new Future.DoneCallback<>(future, f -> stopping = true, null));
        try {
            runForever();
        } finally {
            mainFuture = null;
        }
        if (!future.done()) {
            throw new IllegalStateException("Event loop stopped before the future completed: " + future);
        }
    }

    private void runForever() {
        ensureNotClosed("EventLoop.run");
        if (thread != null) {
            throw new IllegalStateException("This event loop is already running on thread '" + thread.getName() + "'");
        }
        if (RUNNING.get() != null || Task.currentOrNull() != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running on this thread");
        }
        Thread me = Thread.currentThread();
        thread = me;
        RUNNING.set(this);
        Watchdog.register(this);
        Introspection.loopStarted(this);
        try {
            while (true) {
                runOnce();
                if (fatal != null) {
                    Throwable f = fatal;
                    fatal = null;
                    throw Future.surface(f);
                }
                if (stopping) {
                    break;
                }
            }
        } finally {
            stopping = false;
            Watchdog.unregister(this);
            Introspection.loopStopped(this);
            RUNNING.remove();
            RUNNING_ENTRY.setRelease(this, (Object) null);
            thread = null;
        }
    }

    /** One iteration, as asyncio's {@code _run_once}. */
    private void runOnce() {
        noticeLoopInterrupt();
        drainInbox();
        if (ready.isEmpty() && !stopping) {
            TimerHandle next = nextLiveTimer();
            boolean onlyTimersCanWake = loopWaiting == liveCount && !io.active() && executors.nothingInFlight();
            if (next != null && virtualTime && onlyTimersCanWake) {
                if (next.whenNanos > virtualNanos) {
                    virtualNanos = next.whenNanos; // autojump: nothing but this timer can wake anyone
                }
            } else if (next == null && onlyTimersCanWake && liveCount > 0 && inbox.isEmpty()) {
                idleStuck();
            } else {
                idle(next == null ? -1 : Math.max(0, next.whenNanos - nowNanos()));
                drainInbox();
            }
        } else if (io.active()) {
            io.pollNow(); // as asyncio's select(0) when callbacks are ready: I/O is never starved
        }
        moveDueTimers(nowNanos());
        int sinceClock = 0;
        int batch = ready.size();
        for (int n = batch; n > 0; n--) {
            Object entry = ready.pollFirst();
            if (n == 1 && batch > SHRINK_READY_AFTER && ready.isEmpty()) {
                ready = new ArrayDeque<>(); // before the last entry runs: it may be a task that waits long
            }
            runEntry(entry);
            if (++sinceClock == TIMER_CHECK_ENTRIES && n > 1 && !virtualTime) {
                sinceClock = 0;
                n += runTimersDueMeanwhile();
            }
        }
        RUNNING_ENTRY.setRelease(this, (Object) null);
    }

    private void runEntry(Object entry) {
        ENTRY_SEQ.setRelease(this, (long) ENTRY_SEQ.getOpaque(this) + 1);
        RUNNING_ENTRY.setRelease(this, entry);
        if (entry instanceof Task<?> t) {
            t.step();
        } else {
            ((Handle) entry).runOnLoop();
        }
    }

    /** Moves the timers due at {@code now} to the ready queue, in order; drops cancelled ones met on the way. */
    private void moveDueTimers(long now) {
        TimerHandle h;
        while ((h = nextLiveTimer()) != null && h.whenNanos <= now) {
            timers.poll();
            h.scheduled = false;
            ready.addLast(h);
        }
    }

    /**
     * In the middle of a long iteration on real time: runs the timers that came due since it began, then
     * puts what they made ready (the tasks they woke) at the head of the ready queue, ahead of the rest of the
     * iteration, and returns how many entries it put there (they join the iteration). Without this, a sleep
     * that ends while one iteration runs 100,000 first steps would wait for all of them (issue 12, W5).
     */
    private int runTimersDueMeanwhile() {
        TimerHandle h = nextLiveTimer();
        long now;
        if (h == null || h.whenNanos > (now = nowNanos())) {
            return 0;
        }
        int before = ready.size();
        while ((h = nextLiveTimer()) != null && h.whenNanos <= now) {
            timers.poll();
            h.scheduled = false;
            runEntry(h);
        }
        int added = ready.size() - before;
        // ready: [rest of this iteration][added by its entries so far][added by the timers]: the last part first
        for (int i = 0; i < added; i++) {
            spare.addLast(ready.pollLast());
        }
        Object e;
        while ((e = spare.pollFirst()) != null) {
            ready.addFirst(e);
        }
        return added;
    }

    /**
     * Interrupting the loop thread is this library's Ctrl-C: it cancels the main task (asyncio.Runner's
     * SIGINT handling). Best effort: the JDK clears a carrier thread's interrupt status when it unmounts a
     * virtual thread, so an interrupt that arrives while a task step runs is lost; one that arrives while
     * the loop idles or runs callbacks is seen.
     */
    private void noticeLoopInterrupt() {
        if (Thread.interrupted() && mainFuture != null && !mainFuture.done()) {
            mainFuture.cancel("the event loop's thread was interrupted");
        }
    }

    private TimerHandle nextLiveTimer() {
        TimerHandle h;
        while ((h = timers.peek()) != null && h.cancelled) {
            timers.poll();
            h.scheduled = false;
            cancelledTimers = Math.max(0, cancelledTimers - 1);
        }
        return h;
    }

    private void drainInbox() {
        Object o;
        while ((o = inbox.poll()) != null) {
            ready.addLast(o);
        }
    }

    /**
     * Every live task waits for another and no timer is pending (see {@link StuckLoop}): only another thread
     * can still wake the loop, with callSoonThreadsafe. Waits for that for the watchdog's threshold; then, on
     * virtual time, raises (a test that deadlocked fails instead of hanging); on real time, in debug mode,
     * logs once what every task waits on, and goes on waiting.
     */
    private void idleStuck() {
        // a loop, because a park may return early (an unpark permit left from an earlier wake-up)
        long deadline = System.nanoTime() + slowCallbackNanos;
        for (long left = slowCallbackNanos; left > 0; left = deadline - System.nanoTime()) {
            idle(left);
            drainInbox();
            if (!ready.isEmpty() || loopWaiting != liveCount || liveCount == 0 || !executors.nothingInFlight()
                    || io.active() || nextLiveTimer() != null || Thread.currentThread().isInterrupted()) {
                return; // woken (an interrupt of the loop thread cancels the main task: see noticeLoopInterrupt)
            }
        }
        if (virtualTime) {
            throw new IllegalStateException(StuckLoop.describe(this, liveTasks(), true));
        }
        if (debug) {
            LOG.log(System.Logger.Level.WARNING, StuckLoop.describe(this, liveTasks(), false));
        }
        idle(-1);
        drainInbox();
    }

    /** Parks the loop thread until a submission arrives or {@code timeoutNanos} passes (-1: no timeout). */
    private void idle(long timeoutNanos) {
        if (timeoutNanos == 0) {
            return;
        }
        long start = System.nanoTime();
        boolean selecting = io.active();
        io.selecting = selecting; // before `sleeping`: a producer that sees sleeping also sees how to wake
        sleeping = true;
        try {
            if (inbox.isEmpty()) {
                if (selecting) {
                    io.select(timeoutNanos);
                } else if (timeoutNanos < 0) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, timeoutNanos);
                }
            }
        } finally {
            sleeping = false;
            io.selecting = false;
        }
        if (virtualTime) {
            long waited = System.nanoTime() - start;
            virtualNanos = saturatedAdd(virtualNanos, timeoutNanos < 0 ? waited : Math.min(waited, timeoutNanos));
        }
    }

    // ---- shutdown --------------------------------------------------------------------------------------

    /** Cancels every live task and runs the loop until they (and tasks they spawn) are done. */
    void cancelAllTasks() {
        while (liveHead != null) {
            List<Task<?>> batch = liveTasks();
            for (Task<?> t : batch) {
                t.cancel();
            }
            int[] remaining = {batch.size()};
            for (Task<?> t : batch) {
                if (t.done()) {
                    remaining[0]--;
                } else {
                    t.addElement(new Future.DoneCallback<>(t, f -> {
                        if (--remaining[0] == 0) {
                            stopping = true;
                        }
                    }, null));
                }
            }
            if (remaining[0] > 0) {
                runForever();
            }
            for (Task<?> t : batch) {
                if (t.done() && !t.cancelled() && t.isUnretrieved()) {
                    t.markRetrieved();
                    callExceptionHandler(new ExceptionContext("unhandled exception during Runner.close() shutdown",
                            t.failure(), t, t));
                }
            }
        }
    }

    /** Reports every exception nobody retrieved (asyncio does it at garbage collection; we do it here). */
    void reportUnretrieved() {
        List<Future<?>> list = new ArrayList<>(unretrieved);
        unretrieved.clear();
        for (Future<?> f : list) {
            if (f.isUnretrieved()) {
                f.markRetrieved();
                Task<?> t = f instanceof Task<?> task ? task : null;
                String msg = (t != null ? "Task" : "Future") + " exception was never retrieved";
                Throwable trace = t != null ? creationTraces.get(t) : null;
                if (trace != null) {
                    msg += " (task created at " + firstUserFrame(trace) + ")";
                }
                callExceptionHandler(new ExceptionContext(msg, f.failure(), f, t));
            }
        }
    }

    private static String firstUserFrame(Throwable trace) {
        for (StackTraceElement e : trace.getStackTrace()) {
            if (!Task.isMachineryFrame(e)) {
                return e.toString();
            }
        }
        return "?";
    }

    void noteUnretrieved(Future<?> f) {
        unretrieved.add(f);
    }

    void forgetUnretrieved(Future<?> f) {
        unretrieved.remove(f);
    }

    /** Shuts down the default executor this loop created, waiting for its work (asyncio waits 300 s). */
    void shutdownDefaultExecutor() {
        executors.shutdown();
    }

    /** Closes the loop: it accepts no more work. Pending callbacks are dropped. */
    void close() {
        if (thread != null) {
            throw new IllegalStateException("Cannot close a running event loop");
        }
        if (closed) {
            return;
        }
        closed = true;
        ready.clear();
        inbox.clear();
        timers.clear();
        carriers.release();
        threadContainer.close();
        io.close();
        Diagnostics.loopClosed(this);
    }

    // ---- sockets on the loop's selector (asyncio's sock_recv_into, sock_sendall, sock_connect) -----------

    /**
     * Reads from the non-blocking {@code channel} into {@code dst}, waiting on this loop's selector while
     * nothing has arrived: asyncio's {@code loop.sock_recv_into(sock, buf)}. Returns the number of bytes
     * read, 0 only when {@code dst} has no room, -1 at the end of the stream. Call it from a task of this
     * loop; a cancel ends the wait with {@link CancelledError} (nothing was read). At most one task may wait
     * to read a channel at a time. A channel whose previous read had to wait and did not fill its buffer (a
     * request/response exchange) waits for readiness before it reads, which saves the read that would find
     * nothing; bytes already there are then read one loop iteration later. The 16th call of one step (reads
     * that keep finding bytes never wait) first lets the other ready tasks run, as {@code sleep(0)} does, so
     * a fast stream cannot hold the loop. Close a channel only while no task waits on it (shut it down to
     * wake the waiter: it then reads the end of the stream).
     *
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws IOException what the channel's read throws; {@link java.nio.channels.ClosedChannelException} if
     *     it was closed while the task waited
     */
    public int sockRecvInto(SocketChannel channel, ByteBuffer dst) throws IOException {
        Task<?> task = socketTask("EventLoop.sockRecvInto()", channel);
        takeTurnAfterManyReads(task);
        return io.recvInto(channel, dst, task);
    }

    /**
     * A task whose reads keep finding bytes never waits, so it would hold the loop for as long as a fast
     * stream lasts (a download from a nearby server: the watchdog would report it, and every other task
     * would stall). So the {@value #READS_BEFORE_YIELD}th {@code sockRecvInto} of one step yields first,
     * as {@code sleep(0)} does, and the task goes on after the other ready tasks had their turn (asyncio's
     * {@code sock_recv} never yields when bytes are there; its streams and transports read one chunk per
     * loop iteration). Cancellation: a cancel pending at that yield raises {@code CancelledError}.
     */
    private void takeTurnAfterManyReads(Task<?> task) {
        long entry = (long) ENTRY_SEQ.getOpaque(this);
        if (entry != readsEntry) {
            readsEntry = entry;
            readsInEntry = 0;
        }
        if (++readsInEntry >= READS_BEFORE_YIELD) {
            task.yieldOnce();
            readsEntry = (long) ENTRY_SEQ.getOpaque(this); // the step after the yield
            readsInEntry = 1;
        }
    }

    /**
     * Writes all of {@code src} to the non-blocking {@code channel}, waiting on this loop's selector while the
     * socket's send buffer is full: asyncio's {@code loop.sock_sendall(sock, data)}. A cancel ends the wait
     * with {@link CancelledError}; part of {@code src} may have been sent then ({@code src}'s position says
     * how much).
     *
     * @throws IllegalArgumentException if the channel is in blocking mode
     */
    public void sockSendAll(SocketChannel channel, ByteBuffer src) throws IOException {
        Task<?> task = socketTask("EventLoop.sockSendAll()", channel);
        while (src.hasRemaining()) {
            if (io.write(channel, src) == 0) {
                io.await(channel, SelectionKey.OP_WRITE, task);
            }
        }
    }

    /**
     * Connects the non-blocking {@code channel} to {@code remote}, waiting on this loop's selector until the
     * connection is made or fails: asyncio's {@code loop.sock_connect(sock, address)}. {@code remote} should
     * be resolved (a name lookup is a blocking call). A cancel ends the wait with {@link CancelledError};
     * close the channel then.
     *
     * @throws IllegalArgumentException if the channel is in blocking mode
     * @throws IOException why the connection failed (e.g. {@link java.net.ConnectException})
     */
    public void sockConnect(SocketChannel channel, SocketAddress remote) throws IOException {
        Task<?> task = socketTask("EventLoop.sockConnect()", channel);
        if (!channel.connect(remote)) {
            do {
                io.await(channel, SelectionKey.OP_CONNECT, task);
            } while (!channel.finishConnect());
        }
    }

    private Task<?> socketTask(String api, SelectableChannel channel) {
        Objects.requireNonNull(channel, "channel");
        Task<?> task = Task.requireCurrent(api);
        if (task.loop != this) {
            throw new IllegalStateException(api + " must be called by a task of this loop; " + task.getName()
                    + " runs on " + task.loop);
        }
        if (channel.isBlocking()) {
            throw new IllegalArgumentException(api + " needs a non-blocking channel: call configureBlocking(false)"
                    + " on " + channel + " first");
        }
        return task;
    }

    // ---- errors ----------------------------------------------------------------------------------------

    /** Sets the handler for errors nobody else can receive; null restores the default. */
    public void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    /** The handler set with {@link #setExceptionHandler}, or null for the default. */
    public ExceptionHandler getExceptionHandler() {
        return exceptionHandler;
    }

    /** Passes {@code context} to the exception handler (or the default one). */
    public void callExceptionHandler(ExceptionContext context) {
        Objects.requireNonNull(context, "context");
        ExceptionHandler h = exceptionHandler;
        if (h == null) {
            defaultExceptionHandler(context);
            return;
        }
        try {
            h.handle(this, context);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (Throwable e) {
            defaultExceptionHandler(new ExceptionContext("Unhandled error in exception handler", e, null, null));
            defaultExceptionHandler(context);
        }
    }

    /** Logs {@code context} at ERROR level on the {@code io.asyncio4j} logger. */
    public void defaultExceptionHandler(ExceptionContext context) {
        StringBuilder sb = new StringBuilder(context.message());
        if (context.task() != null) {
            sb.append("\ntask: ").append(context.task());
        } else if (context.future() != null) {
            sb.append("\nfuture: ").append(context.future());
        }
        LOG.log(System.Logger.Level.ERROR, sb.toString(), context.exception());
        Diagnostics.unhandled(this, context);
    }

    // ---- debug -----------------------------------------------------------------------------------------

    /** Whether debug mode is on (a 100 ms watchdog threshold and task creation traces). */
    public boolean getDebug() {
        return debug;
    }

    /** Turns debug mode on or off. */
    public void setDebug(boolean enabled) {
        debug = enabled;
        if (!slowCallbackExplicit) {
            slowCallbackNanos = defaultSlowCallbackNanos(enabled);
        }
    }

    /** How long one callback or task step may hold the loop before the watchdog warns. */
    public Duration slowCallbackDuration() {
        return Duration.ofNanos(slowCallbackNanos);
    }

    /** Sets the watchdog threshold (asyncio's {@code slow_callback_duration}). */
    public void setSlowCallbackDuration(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("slowCallbackDuration must be positive, got " + duration);
        }
        slowCallbackNanos = duration.toNanos();
        slowCallbackExplicit = true;
    }

    long slowCallbackNanos() {
        return slowCallbackNanos;
    }

    long entrySeqAcquire() {
        return (long) ENTRY_SEQ.getAcquire(this);
    }

    Object runningEntryAcquire() {
        return RUNNING_ENTRY.getAcquire(this);
    }

    Thread thread() {
        return thread;
    }

    // ---- guards ----------------------------------------------------------------------------------------

    /** Whether the caller runs on this loop: its thread, or a task mounted on it. */
    boolean isLoopThread() {
        Thread c = Thread.currentThread();
        if (c == thread) {
            return true;
        }
        return runningEntry instanceof Task<?> t && c == t.thread();
    }

    /** Loop-bound APIs: allowed on the loop's thread, or on any single thread before the loop runs. */
    void ensureOnLoopThread(String api) {
        if (thread != null && !isLoopThread()) {
            throw new IllegalStateException(api + " must be called on the event loop's thread ('"
                    + thread.getName() + "'), not on '" + Thread.currentThread().getName()
                    + "'; from another thread use loop.callSoonThreadsafe(() -> ...)");
        }
    }

    void ensureNotClosed(String api) {
        if (closed) {
            throw new IllegalStateException(api + ": the event loop is closed");
        }
    }

    /** The loop running on this thread (or running the current task), or null. */
    static EventLoop runningOrNull() {
        Task<?> t = Task.currentOrNull();
        return t != null ? t.loop : RUNNING.get();
    }

    static EventLoop requireRunning(String api) {
        EventLoop l = runningOrNull();
        if (l == null) {
            throw new IllegalStateException(api + " needs a running event loop: call it inside Asyncio.run(...) "
                    + "(in a task or a loop callback); there is none on thread '" + Thread.currentThread().getName() + "'");
        }
        return l;
    }

    @Override
    public String toString() {
        Thread t = thread;
        return "EventLoop-" + id + "[" + (closed ? "closed" : t != null ? "running on '" + t.getName() + "'" : "idle")
                + (virtualTime ? ", virtual time" : "") + (debug ? ", debug" : "") + "]";
    }

    /** What the testing module may see, through {@link Diagnostics}. */
    private static final class DiagnosticsAccess implements Diagnostics.Access {
        @Override
        public List<String> liveTaskNames(EventLoop loop) {
            if (loop.thread != null) {
                return List.of("(loop still running on '" + loop.thread.getName() + "')");
            }
            List<String> names = new ArrayList<>();
            for (Task<?> t : loop.liveTasks()) {
                names.add(t.getName());
            }
            return names;
        }

        @Override
        public Thread runningThread(EventLoop loop) {
            return loop.thread;
        }
    }
}
