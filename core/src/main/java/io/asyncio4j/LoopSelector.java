package io.asyncio4j;

import io.asyncio4j.internal.sync.Abort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The loop's {@link Selector}: readiness of non-blocking channels for the tasks that wait on them, as
 * asyncio's selector event loop has ({@link EventLoop#sockRecvInto}, {@link EventLoop#sockSendAll},
 * {@link EventLoop#sockConnect}). When a task waits for a channel, the loop polls the selector once per
 * iteration and, with nothing ready to run, waits in {@code select} instead of parking (so a readiness
 * event wakes the task on the loop thread itself, with no poller thread between).
 *
 * <p>A wait is the kernel's one wait ({@link KernelWait}): a cancel ends it like a sleep (the task raises
 * {@code CancelledError}, even if {@code uncancel()} withdrew the cancel before it resumed). At most one task
 * waits to read and one to write on a channel at a time.
 *
 * <h2>Interest</h2>
 * A write or connect wait drops the key's interest as soon as it ends, however it ends (a writable socket
 * is ready almost always). A read wait keeps {@code OP_READ} after it ends: a channel read once is usually
 * read again soon (the next response on a kept-alive connection), and changing the interest costs an
 * {@code epoll_ctl} at the next {@code select} (two per request/response exchange if it were dropped and
 * added back every time). The interest is dropped lazily, when a {@code select} reports the channel readable
 * and no task waits to read it: the selector is level-triggered and would report it again on every
 * {@code select}, so the loop would spin. Closing the channel cancels its key, interest and all.
 *
 * <p>Thread-safety: loop thread only (tasks of the loop included), except {@link #wakeup()} and
 * {@link #selecting}.
 */
final class LoopSelector {

    /** The waits on one channel, one per direction; the key's attachment. */
    private static final class Waiters {
        Registration reader;
        Registration writer;
        // the last registration of each direction, for the channel's next wait in that direction to reuse (a
        // kept-alive connection waits to read once per response: one object per wait less)
        Registration lastReader;
        Registration lastWriter;
        // the channel's last recvInto found nothing on its first look and did not fill its buffer: the next one
        // waits for readiness before it reads (see recvInto)
        boolean readWaitsFirst;
    }

    /**
     * One task's wait for one operation on one channel; its Abort drops the registration. Reused by the
     * channel's next wait in the same direction once the task that last used it has left its wait (then
     * nothing can call its Abort any more); loop thread only.
     */
    private final class Registration implements Abort {
        // the waiting task; null once it has left its wait, so an idle channel keeps no finished task (and
        // its result) alive
        Task<?> task;
        final SelectionKey key;
        final int op;
        int stamp;
        boolean dropped;

        Registration(Task<?> task, SelectionKey key, int op) {
            this.task = task;
            this.key = key;
            this.op = op;
        }

        /**
         * Whether a new wait on key {@code k} for operation {@code o} may take this registration over: it is for
         * that key and operation and its task has left the wait (a task woken but not yet resumed still holds
         * it as its Abort, and {@code task} is cleared only after its park returned).
         */
        boolean reusableFor(SelectionKey k, int o) {
            return task == null && key == k && op == o;
        }

        boolean reads() {
            return op == SelectionKey.OP_READ;
        }

        /**
         * Ends this wait; idempotent. A write or connect wait stops watching the channel; a read wait leaves
         * {@code OP_READ} on (see the class comment: dispatch drops it if the channel turns readable unread).
         */
        void drop() {
            if (dropped) {
                return;
            }
            dropped = true;
            waits--;
            Waiters w = (Waiters) key.attachment();
            if (reads()) {
                w.reader = null;
            } else {
                w.writer = null;
                if (key.isValid()) {
                    key.interestOps(key.interestOps() & ~op);
                }
            }
        }

        @Override
        public boolean abort(String message) {
            drop();
            return true;
        }

        @Override
        public String toString() {
            return "waits to " + (reads() ? "read from " : op == SelectionKey.OP_CONNECT ? "connect " : "write to ")
                    + key.channel();
        }
    }

    /** The largest heap-buffer read or write that goes through {@link #ioBuffer} (larger ones: the JDK's way). */
    static final int IO_BUFFER_BYTES = 64 * 1024;

    private final Consumer<SelectionKey> dispatch = this::dispatch;
    // the direct buffer that reads into and writes from heap buffers go through (see read), made on first use;
    // null while lent out (a read that waits for the channel's lock inside the JDK may let another task of the
    // loop run: that one then makes its own). Loop thread only
    private ByteBuffer ioBuffer;
    // opened on the first wait; loop thread only
    private Selector selector;
    // tasks in a wait now; loop thread only
    int waits;
    // ready keys dispatched so far, whether they woke a task or not (tests: the loop does not spin); loop thread only
    long dispatched;
    // true while the loop thread is (about to be) blocked in select; read by wakeup() from any thread
    volatile boolean selecting;

    /**
     * Parks {@code task} until {@code channel} is ready for {@code op} (OP_READ, OP_WRITE or OP_CONNECT) or
     * the task is cancelled; the caller then retries its non-blocking operation.
     */
    void await(SelectableChannel channel, int op, Task<?> task) throws IOException {
        await(channel, channel.keyFor(selector()), op, task);
    }

    /**
     * {@link #await(SelectableChannel, int, Task)} with the channel's key on this selector already looked up
     * ({@code key}, or null when it has none), which saves the caller's second lookup ({@code keyFor} is a
     * synchronized search of the channel's keys); returns the key the wait used.
     */
    private SelectionKey await(SelectableChannel channel, SelectionKey key, int op, Task<?> task) throws IOException {
        if (key == null || !key.isValid()) {
            key = channel.register(selector(), 0, new Waiters()); // ClosedChannelException if closed
        }
        Waiters w = (Waiters) key.attachment();
        boolean read = op == SelectionKey.OP_READ;
        Registration other = read ? w.reader : w.writer;
        if (other != null) {
            throw new IllegalStateException("another task (" + other.task.getName()
                    + ") is already waiting to " + (read ? "read from " : "write to ") + channel);
        }
        Registration r = read ? w.lastReader : w.lastWriter;
        if (r != null && r.reusableFor(key, op)) {
            r.task = task;
            r.dropped = false;
        } else {
            r = new Registration(task, key, op);
            if (read) {
                w.lastReader = r;
            } else {
                w.lastWriter = r;
            }
        }
        int interest = key.interestOps();
        if ((interest & op) == 0) { // a read wait finds OP_READ still on after the channel's last read wait
            key.interestOps(interest | op);
        }
        if (read) {
            w.reader = r;
        } else {
            w.writer = r;
        }
        waits++;
        r.stamp = task.beginWait();
        try {
            task.park(r);
        } finally {
            r.drop();
            r.task = null; // the task has left its wait: the registration may serve the channel's next wait
        }
        if (!key.isValid()) {
            throw new ClosedChannelException(); // closed while this task waited
        }
        return key;
    }

    /**
     * Reads from {@code channel} into {@code dst} ({@link EventLoop#sockRecvInto}): the count, 0 only when
     * {@code dst} has no room, -1 at the end of the stream; parks {@code task} while nothing has arrived.
     *
     * <p>A read that finds nothing is a system call for nothing. When the channel's previous read had to wait
     * and did not fill its buffer (a request/response exchange: the answer to the request just sent is not
     * there yet), this one waits for readiness first and reads once woken. When bytes were there after all,
     * the next {@code select} reports them at once (it is level-triggered): the price is one loop iteration.
     * A read that fills its buffer (a bulk stream that keeps up) makes the next one read first again.
     * Cancellation: a cancel ends a wait with {@code CancelledError}, nothing read.
     */
    int recvInto(SocketChannel channel, ByteBuffer dst, Task<?> task) throws IOException {
        // the channel's key, looked up once per call (a wait returns the key it used): null until a wait
        // registers the channel
        SelectionKey key = selector != null ? channel.keyFor(selector) : null;
        boolean waited = false;
        if (key != null && key.isValid() && dst.hasRemaining() && ((Waiters) key.attachment()).readWaitsFirst) {
            key = await(channel, key, SelectionKey.OP_READ, task);
            waited = true;
        }
        while (true) {
            int n = read(channel, dst);
            if (n != 0 || !dst.hasRemaining()) {
                if (waited) { // key is the one the wait used, valid when it returned
                    ((Waiters) key.attachment()).readWaitsFirst = n > 0 && dst.hasRemaining();
                }
                return n;
            }
            key = await(channel, key, SelectionKey.OP_READ, task);
            waited = true;
        }
    }

    /**
     * {@code channel.read(dst)}, through this loop's own direct buffer when {@code dst} is a heap buffer of at
     * most {@value #IO_BUFFER_BYTES} bytes of room. The JDK reads into a heap buffer through a temporary
     * direct buffer too, which it takes from and gives back to a cache in the carrier thread's thread-locals
     * on every call: two thread-local lookups per read, about 5% of an HTTP client's CPU time. The bytes are
     * copied once either way.
     */
    private int read(SocketChannel channel, ByteBuffer dst) throws IOException {
        int room = dst.remaining();
        if (room == 0 || room > IO_BUFFER_BYTES || dst.isDirect() || dst.isReadOnly()) {
            return channel.read(dst); // (a read-only buffer: the JDK's own error)
        }
        ByteBuffer b = borrowIoBuffer();
        try {
            b.limit(room);
            int n = channel.read(b);
            if (n > 0) {
                int at = dst.position();
                dst.put(at, b, 0, n).position(at + n);
            }
            return n;
        } finally {
            ioBuffer = b;
        }
    }

    /**
     * {@code channel.write(src)} ({@link EventLoop#sockSendAll}), through this loop's own direct buffer when
     * {@code src} is a heap buffer of at most {@value #IO_BUFFER_BYTES} bytes left (see {@link #read}); the
     * count written, and {@code src}'s position advanced by it.
     */
    int write(SocketChannel channel, ByteBuffer src) throws IOException {
        int length = src.remaining();
        if (length == 0 || length > IO_BUFFER_BYTES || src.isDirect()) {
            return channel.write(src);
        }
        ByteBuffer b = borrowIoBuffer();
        try {
            int at = src.position();
            b.put(0, src, at, length).limit(length);
            int n = channel.write(b);
            if (n > 0) {
                src.position(at + n);
            }
            return n;
        } finally {
            ioBuffer = b;
        }
    }

    /** The loop's direct I/O buffer, cleared, lent to the caller until it stores it back in {@link #ioBuffer}. */
    private ByteBuffer borrowIoBuffer() {
        ByteBuffer b = ioBuffer;
        if (b == null) {
            return ByteBuffer.allocateDirect(IO_BUFFER_BYTES);
        }
        ioBuffer = null;
        return b.clear();
    }

    private Selector selector() throws IOException {
        if (selector == null) {
            selector = Selector.open();
        }
        return selector;
    }

    /** Whether some task waits for a channel: then the loop polls this selector. */
    boolean active() {
        return waits > 0;
    }

    /** Wakes the tasks whose channels are ready now, without blocking. */
    void pollNow() {
        try {
            selector.selectNow(dispatch);
        } catch (IOException e) {
            throw new UncheckedIOException("the event loop's selector failed", e);
        }
    }

    /**
     * Blocks the loop thread in {@code select} until a channel is ready, {@link #wakeup()} is called or
     * {@code timeoutNanos} passes (-1: no timeout), then wakes the tasks whose channels are ready. The caller
     * has set {@link #selecting} and checked its inbox after that.
     */
    void select(long timeoutNanos) {
        try {
            if (timeoutNanos < 0) {
                selector.select(dispatch);
            } else {
                // select(0) would mean "no timeout": anything under a millisecond rounds up to one
                selector.select(dispatch, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the event loop's selector failed", e);
        }
    }

    /** Makes a {@code select} in progress (or the next one) return at once; any thread. */
    void wakeup() {
        Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
    }

    /** The key's interest set on this selector for {@code channel}, 0 when it has no valid key (tests). */
    int interestOps(SelectableChannel channel) {
        SelectionKey key = selector == null ? null : channel.keyFor(selector);
        return key == null || !key.isValid() ? 0 : key.interestOps();
    }

    private void dispatch(SelectionKey key) {
        dispatched++;
        Waiters w = (Waiters) key.attachment();
        int ready = key.readyOps();
        Registration r;
        if ((ready & SelectionKey.OP_READ) != 0) {
            if ((r = w.reader) != null) {
                r.drop();
                r.task.wake(r.stamp);
            } else if (key.isValid()) {
                // readable and nobody reads: stop watching it until a task waits again (else every select reports it)
                key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
            }
        }
        if ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0 && (r = w.writer) != null) {
            r.drop();
            r.task.wake(r.stamp);
        }
    }

    /** Closes the selector; the channels stay open (they are their owners'). */
    void close() {
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            selector = null;
        }
    }
}
