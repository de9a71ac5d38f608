package io.asyncio4j.sync;

import io.asyncio4j.QueueEmpty;
import io.asyncio4j.QueueFull;
import io.asyncio4j.QueueShutDown;
import io.asyncio4j.internal.sync.LoopBinding;
import io.asyncio4j.internal.sync.ParkingLot;

import java.util.Objects;

/**
 * A first-in-first-out queue between the tasks of one event loop (asyncio's {@code asyncio.Queue}), with
 * {@link PriorityQueue} and {@link LifoQueue} as its other kinds.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Queue<String> urls = new Queue<>(100);           // at most 100 items; new Queue<>() has no limit
 * for (int i = 0; i < 10; i++) {
 *     Asyncio.createTask(() -> {
 *         while (true) {
 *             String url = urls.get();              // waits while the queue is empty
 *             try { fetch(url); } finally { urls.taskDone(); }
 *         }
 *     });
 * }
 * for (String url : input) urls.put(url);          // waits while the queue is full
 * urls.join();                                     // every item got and marked done
 * urls.shutdown();                                 // workers blocked in get() raise QueueShutDown
 * }</pre>
 * A {@code maxsize} of zero or less means no limit, as in asyncio. Items may not be null. For a timeout, wrap
 * the call: {@code Asyncio.timeout(Duration.ofSeconds(1), () -> urls.get())}.
 *
 * <h2>States</h2>
 * <pre>
 *   open ──shutdown()──▶ shut down ──shutdown(true)──▶ shut down immediately
 *     └──────────────shutdown(true)──────────────────────▲
 *
 *   state                  put, putNowait    get, getNowait                  blocked get / put
 *   open                   add (or wait)     take (or wait, QueueEmpty)      wait
 *   shut down              QueueShutDown     take what is left,              woken: get takes what is
 *                                            then QueueShutDown              left or raises; put raises
 *   shut down immediately  QueueShutDown     QueueShutDown                   woken, raise QueueShutDown
 * </pre>
 * {@code shutdown(true)} drops every item still in the queue, including one handed to a getter that has not
 * resumed yet (that getter raises {@code QueueShutDown}, as asyncio's would), and counts each dropped item as
 * done, so {@link #join()} returns once the items already got are marked done. A shut-down queue stays shut
 * down; {@code join()} and {@code taskDone()} work in every state.
 *
 * <h2>Fairness</h2>
 * Getters and putters are each served strictly first come, first served, with direct hand-off both ways:
 * <ul>
 *   <li>{@code put} on an empty queue with waiting getters hands the item to the longest-waiting getter; it
 *       never enters the buffer, and a task calling {@code getNowait} before that getter resumes gets
 *       {@code QueueEmpty}.</li>
 *   <li>{@code get} on a full queue with waiting putters reserves the freed slot for the longest-waiting
 *       putter; a task calling {@code putNowait} before that putter resumes gets {@code QueueFull}.
 *       (asyncio lets such a newcomer take the slot and sends the woken putter back to wait, gh-83055;
 *       this queue does not.)</li>
 * </ul>
 * {@code put} with room and {@code get} with items return at once, without letting another task run.
 *
 * <h2>What qsize, empty and full report</h2>
 * A slot of a bounded queue is taken by a buffered item, by an item handed to a getter that has not resumed
 * yet, or by a slot reserved for a putter that has not resumed yet. Then:
 * <ul>
 *   <li>{@link #qsize()} is the number of buffered items: those a {@code getNowait} could take;</li>
 *   <li>{@link #empty()} is {@code qsize() == 0}: exactly when {@code getNowait} raises;</li>
 *   <li>{@link #full()} is whether every slot is taken: on an open queue, exactly when {@code putNowait}
 *       raises {@code QueueFull}. Never true without a limit.</li>
 * </ul>
 * Right after a {@code put} handed its item to a waiting getter, {@code qsize()} is 0 here (asyncio: 1) and
 * a queue of {@code maxsize} 1 is both {@code empty()} and {@code full()} until that getter resumes.
 *
 * <h2>Cancellation</h2>
 * A task cancelled while it waits in {@link #get()}, {@link #put(Object)} or {@link #join()} leaves the
 * queue and raises {@code CancelledError}; nothing is lost or duplicated:
 * <ul>
 *   <li>a getter that had already been handed an item gives it back: to the next waiting getter, else into
 *       the buffer where its put order places it (it comes out next from a FIFO queue; see each kind);</li>
 *   <li>a putter whose slot had already been reserved passes the slot to the next waiting putter (or frees
 *       it); its item was never added.</li>
 * </ul>
 * Timeouts ({@code Asyncio.timeout}, {@code Asyncio.waitFor}) are cancellations: a timed-out {@code get}
 * returned no item and a timed-out {@code put} added none.
 *
 * <h2>Thread-safety</h2>
 * Belongs to the event loop that first uses it; every method must be called from that loop's tasks or
 * callbacks ({@link #toString()} excepted). From another thread, use {@code loop.callSoonThreadsafe}.
 *
 * <h2>Pitfalls</h2>
 * {@code join()} waits for a {@link #taskDone()} per item put, not for the queue to be empty: a consumer
 * that forgets {@code taskDone()} (put it in a {@code finally}) makes {@code join()} wait forever.
 *
 * @param <T> the type of the items
 */
public sealed class Queue<T> permits PriorityQueue, LifoQueue {
    /*
     * Implementation overview.
     *
     * Three ParkingLots: getters (wait while the buffer is empty), putters (wait while every slot is
     * taken), joiners (wait while unfinished > 0). What is handed to a waiter:
     *   getter: Handed(item, seq) from a put, or WOKEN_BY_SHUTDOWN from shutdown()
     *   putter: SLOT (a slot reserved for it) from a get, or WOKEN_BY_SHUTDOWN
     *   joiner: TRUE
     * Accounting: occupied = buffer.size() + handedToGetters + reservedForPutters <= maxsize (if bounded).
     * Invariants on an open queue:
     *   (1) a live getter waits only while the buffer is empty: a put hands to it instead of buffering;
     *   (2) a live putter waits only while occupied == maxsize: whenever occupied drops (a get from the
     *       buffer, a handed getter resuming, a reserved putter cancelled), freeSlot() reserves the slot for
     *       the first live putter.
     * So getNowait/putNowait only need the buffer and `occupied`, and can never take what was handed.
     *
     * Every put gets a sequence number; it travels with an item handed to a getter, so that a getter
     * cancelled before it resumes can give the item back to the buffer in its original place:
     *
     *   getters A, B wait ─▶ put(1) handed to A, put(2) handed to B ─▶ A and B cancelled ─▶ A gives 1
     *   back, B gives 2 back ─▶ buffer: 1, 2 (the order asyncio keeps: its items stay buffered meanwhile)
     *
     * shutdown(immediate) drops buffered items and counts the handed ones too (asyncio has those in its
     * buffer): their getters, resuming in SHUT_DOWN_IMMEDIATELY, raise without touching `unfinished`.
     *
     * All fields: loop thread only, except those toString() reads from any thread (stale at worst).
     */
    private static final String PUT = "Queue.put()";
    private static final String PUT_NOWAIT = "Queue.putNowait()";
    private static final String GET = "Queue.get()";
    private static final String GET_NOWAIT = "Queue.getNowait()";

    /** Handed to getters and putters woken by shutdown(). */
    private static final Object WOKEN_BY_SHUTDOWN = new Object();
    /** Handed to a putter: a slot is reserved for it. */
    private static final Object SLOT = new Object();

    /** An item handed to a getter, with the sequence number of its put. */
    private record Handed(Object item, long seq) {
    }

    private enum State { OPEN, SHUT_DOWN, SHUT_DOWN_IMMEDIATELY }

    private final LoopBinding binding = new LoopBinding();
    private final ParkingLot getters = new ParkingLot();
    private final ParkingLot putters = new ParkingLot();
    private final ParkingLot joiners = new ParkingLot();
    private final QueueBuffer<T> buffer;
    private final int maxsize;
    // items handed to getters that have not resumed yet; loop thread only
    private int handedToGetters;
    // slots reserved for putters that have not resumed yet; loop thread only
    private int reservedForPutters;
    // items put and not yet marked done (asyncio's _unfinished_tasks); loop thread only, read by toString
    private int unfinished;
    // sequence number of the next put; loop thread only
    private long puts;
    // loop thread only, read by toString
    private State state = State.OPEN;

    /** A queue without a size limit; it belongs to the event loop that first uses it. */
    public Queue() {
        this(0);
    }

    /**
     * A queue of at most {@code maxsize} items; zero or less means no limit (asyncio's {@code maxsize=0}).
     * It belongs to the event loop that first uses it.
     */
    public Queue(int maxsize) {
        this(maxsize, QueueBuffer.fifo());
    }

    Queue(int maxsize, QueueBuffer<T> buffer) {
        this.maxsize = maxsize;
        this.buffer = buffer;
    }

    /**
     * Puts {@code item} into the queue, waiting while it is full. With getters waiting, hands the item
     * straight to the longest-waiting one. Does not switch tasks when there is room.
     *
     * <p><b>Fairness:</b> blocked putters are served in arrival order; a freed slot is reserved for the
     * longest-waiting putter and no later caller can take it.
     *
     * <p><b>Cancellation:</b> a task cancelled while it waits raises {@code CancelledError} without having
     * added the item; a slot already reserved for it goes to the next putter.
     *
     * @throws QueueShutDown               if the queue is shut down, or is shut down while this waits
     * @throws io.asyncio4j.CancelledError if the task is cancelled while it waits
     * @throws NullPointerException        if {@code item} is null
     * @throws IllegalStateException       if it must wait outside a task, or is called from another loop
     */
    public void put(T item) {
        binding.ensureOnLoop(this, PUT);
        checkItem(item, PUT);
        if (state != State.OPEN) {
            throw shutDown(PUT);
        }
        if (!isFull()) {
            enqueue(item);
            return;
        }
        Object handed = putters.park(this::giveBackSlot, PUT);
        if (handed == WOKEN_BY_SHUTDOWN) {
            throw shutDown(PUT);
        }
        reservedForPutters--;
        if (state != State.OPEN) {
            // get() reserved a slot for us, then shutdown() came before we resumed: asyncio's woken putter
            // finds the queue shut down too. The slot is simply freed.
            throw shutDown(PUT);
        }
        enqueue(item);
    }

    /**
     * Puts {@code item} into the queue if a slot is free, without waiting.
     *
     * @throws QueueFull            if every slot is taken (see {@link #full()})
     * @throws QueueShutDown        if the queue is shut down
     * @throws NullPointerException if {@code item} is null
     */
    public void putNowait(T item) {
        binding.ensureOnLoop(this, PUT_NOWAIT);
        checkItem(item, PUT_NOWAIT);
        if (state != State.OPEN) {
            throw shutDown(PUT_NOWAIT);
        }
        if (isFull()) {
            throw new QueueFull(PUT_NOWAIT + ": the queue is full (maxsize=" + maxsize + "); use put() to wait for room");
        }
        enqueue(item);
    }

    /**
     * Removes and returns the next item, waiting while the queue is empty. Does not switch tasks when an
     * item is there.
     *
     * <p><b>Fairness:</b> blocked getters are served in arrival order; an item handed to the longest-waiting
     * getter is its own and no later caller can take it.
     *
     * <p><b>Cancellation:</b> a task cancelled while it waits raises {@code CancelledError} and took no item;
     * an item already handed to it goes to the next getter, or back into the queue in its original place.
     *
     * @throws QueueShutDown               if the queue is shut down and has no item left, or is shut down
     *                                     immediately while this waits
     * @throws io.asyncio4j.CancelledError if the task is cancelled while it waits
     * @throws IllegalStateException       if it must wait outside a task, or is called from another loop
     */
    public T get() {
        binding.ensureOnLoop(this, GET);
        while (true) {
            if (buffer.size() > 0) {
                return takeBuffered();
            }
            if (state != State.OPEN) {
                throw shutDown(GET);
            }
            Object handed = getters.park(this::giveBackItem, GET);
            if (handed != WOKEN_BY_SHUTDOWN) {
                return receive((Handed) handed);
            }
            // woken by shutdown(): take an item given back since, or raise (next turn of the loop)
        }
    }

    /**
     * Removes and returns the next item if one is in the queue, without waiting.
     *
     * @throws QueueEmpty    if the queue is empty (see {@link #empty()})
     * @throws QueueShutDown if the queue is empty and shut down
     */
    public T getNowait() {
        binding.ensureOnLoop(this, GET_NOWAIT);
        if (buffer.size() > 0) {
            return takeBuffered();
        }
        if (state != State.OPEN) {
            throw shutDown(GET_NOWAIT);
        }
        throw new QueueEmpty(GET_NOWAIT + ": the queue is empty; use get() to wait for an item");
    }

    /**
     * Marks one item got from the queue as processed. When every item put has been marked, the tasks
     * waiting in {@link #join()} resume.
     *
     * @throws IllegalStateException if called more times than items were put (asyncio raises ValueError)
     */
    public void taskDone() {
        binding.ensureOnLoop(this, "Queue.taskDone()");
        if (unfinished <= 0) {
            throw new IllegalStateException("Queue.taskDone() called more times than items were put; "
                    + "call it once per item got from the queue");
        }
        if (--unfinished == 0) {
            joiners.handAll(Boolean.TRUE);
        }
    }

    /**
     * Waits until every item put into the queue has been marked done with {@link #taskDone()} (or dropped by
     * {@code shutdown(true)}). Returns at once, without switching tasks, if none is unfinished.
     *
     * <p><b>Fairness and cancellation:</b> all waiting tasks resume together, in arrival order, when the
     * count reaches zero. A task cancelled while it waits raises {@code CancelledError}; others are not
     * affected.
     *
     * @throws io.asyncio4j.CancelledError if the task is cancelled while it waits
     * @throws IllegalStateException       if it must wait outside a task, or is called from another loop
     */
    public void join() {
        binding.ensureOnLoop(this, "Queue.join()");
        if (unfinished > 0) {
            joiners.park(null, "Queue.join()");
        }
    }

    /**
     * Shuts the queue down: {@code shutdown(false)}. Puts raise {@link QueueShutDown} from now on; gets take
     * the items left, then raise it. Every blocked putter, and every blocked getter, resumes with it.
     */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down (asyncio 3.13's {@code shutdown(immediate)}); see the state table in the class
     * comment.
     * <ul>
     *   <li>{@code put} and {@code putNowait} raise {@link QueueShutDown} from now on, and so does every
     *       {@code put} that is waiting, or whose reserved slot it has not used yet.</li>
     *   <li>Without {@code immediate}, gets take the items left, then raise {@code QueueShutDown}. A getter
     *       already handed an item still gets it; waiting getters resume with {@code QueueShutDown}.</li>
     *   <li>With {@code immediate}, every item left is dropped and counted done for {@link #join()}, including
     *       an item handed to a getter that has not resumed yet (that getter raises {@code QueueShutDown}, as
     *       asyncio's would: its item was still in asyncio's buffer). Gets raise at once.</li>
     * </ul>
     * The tasks it wakes resume in asyncio's order: {@code join()} waiters (if nothing is unfinished any
     * more), then getters, then putters, each in arrival order. Calling it again is allowed:
     * {@code shutdown(true)} after {@code shutdown()} drops what is left.
     */
    public void shutdown(boolean immediate) {
        binding.ensureOnLoop(this, "Queue.shutdown()");
        if (immediate) {
            if (state != State.SHUT_DOWN_IMMEDIATELY) {
                int dropped = buffer.size() + handedToGetters;
                buffer.clear();
                unfinished = Math.max(0, unfinished - dropped);
                state = State.SHUT_DOWN_IMMEDIATELY;
            }
            if (unfinished == 0) {
                joiners.handAll(Boolean.TRUE);
            }
        } else if (state == State.OPEN) {
            state = State.SHUT_DOWN;
        }
        getters.handAll(WOKEN_BY_SHUTDOWN);
        putters.handAll(WOKEN_BY_SHUTDOWN);
    }

    /** The number of items in the queue that a {@code getNowait} could take; see the class comment. */
    public int qsize() {
        binding.ensureOnLoop(this, "Queue.qsize()");
        return buffer.size();
    }

    /** Whether {@code qsize() == 0}: exactly when {@link #getNowait()} would raise. */
    public boolean empty() {
        binding.ensureOnLoop(this, "Queue.empty()");
        return buffer.size() == 0;
    }

    /**
     * Whether every slot of a bounded queue is taken (by buffered items, items handed to getters and slots
     * reserved for putters that have not resumed yet): on an open queue, exactly when
     * {@link #putNowait(Object)} would raise {@link QueueFull}. Always false without a limit.
     */
    public boolean full() {
        binding.ensureOnLoop(this, "Queue.full()");
        return isFull();
    }

    /** The limit given to the constructor; zero or less means none. */
    public int maxsize() {
        binding.ensureOnLoop(this, "Queue.maxsize()");
        return maxsize;
    }

    /**
     * {@code Queue[maxsize=2, qsize=1, getters=0, putters=0, unfinished=1]}, with {@code , shutdown} at the
     * end once shut down: what asyncio's repr shows, with the number of items instead of the items.
     */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[maxsize=" + maxsize + ", qsize=" + buffer.size()
                + ", getters=" + getters.size() + ", putters=" + putters.size() + ", unfinished=" + unfinished
                + (state == State.OPEN ? "" : ", shutdown") + "]";
    }

    // ---- implementation --------------------------------------------------------------------------------

    private void checkItem(T item, String api) {
        Objects.requireNonNull(item, () -> api + ": the item is null; a queue holds non-null items "
                + "(put a sentinel object or an Optional to mean 'nothing')");
        buffer.check(item);
    }

    private boolean isFull() {
        return maxsize > 0 && buffer.size() + handedToGetters + reservedForPutters >= maxsize;
    }

    /** Adds a new item: to the longest-waiting getter if one waits (the buffer is empty then), else the buffer. */
    private void enqueue(T item) {
        long seq = puts++;
        if (!getters.isEmpty()) {
            getters.handFirst(new Handed(item, seq));
            handedToGetters++;
        } else {
            buffer.add(item, seq);
        }
        unfinished++;
    }

    private T takeBuffered() {
        T item = buffer.take();
        freeSlot();
        return item;
    }

    /** A getter resumed with the item handed to it (and no cancel pending). */
    @SuppressWarnings("unchecked")
    private T receive(Handed handed) {
        handedToGetters--;
        if (state == State.SHUT_DOWN_IMMEDIATELY) {
            // put handed us the item, then shutdown(true) came before we resumed: it dropped the item and
            // counted it done, as asyncio's drain drops an item its woken getter has not taken yet
            throw shutDown(GET);
        }
        freeSlot();
        return (T) handed.item;
    }

    /** A slot was freed: on an open bounded queue, reserve it for the longest-waiting putter. */
    private void freeSlot() {
        while (state == State.OPEN && hasFreeSlot() && putters.handFirst(SLOT)) {
            reservedForPutters++;
        }
    }

    /** Whether a bounded queue has a slot that nothing occupies (never true with a live putter waiting). */
    private boolean hasFreeSlot() {
        return maxsize > 0 && buffer.size() + handedToGetters + reservedForPutters < maxsize;
    }

    /** A getter cancelled after it was handed {@code value}, before it resumed. */
    @SuppressWarnings("unchecked")
    private void giveBackItem(Object value) {
        if (value == WOKEN_BY_SHUTDOWN) {
            return;
        }
        Handed handed = (Handed) value;
        handedToGetters--;
        switch (state) {
            case OPEN -> {
                if (getters.handFirst(handed)) {
                    handedToGetters++;
                } else {
                    buffer.giveBack((T) handed.item, handed.seq);
                }
            }
            // getters woken by shutdown() look at the buffer when they resume
            case SHUT_DOWN -> buffer.giveBack((T) handed.item, handed.seq);
            case SHUT_DOWN_IMMEDIATELY -> {
                // dropped and counted done by shutdown(true) already
            }
        }
    }

    /** A putter cancelled after a slot was reserved for it, before it resumed. */
    private void giveBackSlot(Object value) {
        if (value == WOKEN_BY_SHUTDOWN) {
            return;
        }
        reservedForPutters--;
        freeSlot();
    }

    private QueueShutDown shutDown(String api) {
        return new QueueShutDown(api + ": the queue is shut down");
    }
}
