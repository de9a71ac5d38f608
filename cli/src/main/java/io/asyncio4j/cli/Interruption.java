package io.asyncio4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Task;

/**
 * Ctrl-C (SIGINT) or SIGTERM during a {@code fetch}, {@code batch} or {@code crawl}: the run stops the way
 * {@code asyncio.Runner} stops on Ctrl-C, by cancelling its main task, and the command still writes out the
 * lines of the items already done and the summary so far before the JVM exits (with status 130 for SIGINT,
 * 143 for SIGTERM, as without this).
 *
 * <p>Java has no public SIGINT handler; a shutdown hook is the portable way in. The hook runs on a thread of
 * its own while the loop goes on, so it does not touch the run: it asks the loop, through
 * {@link EventLoop#callSoonThreadsafe}, to cancel the task that {@link #arm()} recorded, and waits (at most
 * {@value #REPORT_SECONDS} s) until the command says it has reported, by {@link #close()}.
 *
 * <p>Thread-safety: {@link #arm()} runs on the run's task, the hook on the JVM's shutdown thread,
 * {@link #close()} on the command's thread; the fields they share are volatile or a latch.
 */
final class Interruption implements AutoCloseable {

    /** What a command returns for a run stopped by Ctrl-C: the shell's code for SIGINT. */
    static final int STATUS = 130;
    private static final long REPORT_SECONDS = 5;

    private final Thread hook = new Thread(this::onShutdown, "asyncio4j-interrupted");
    private final CountDownLatch reported = new CountDownLatch(1);
    // the loop and the task to cancel; set by arm(), cleared by close()
    private volatile EventLoop loop;
    private volatile Task<?> task;
    // set by the hook once it asked the loop to cancel the task
    private volatile boolean requested;

    private Interruption() {
    }

    /** A new interruption whose hook is registered with the JVM until {@link #close()}. */
    static Interruption install() {
        Interruption i = new Interruption();
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    /** Records the running loop and the current task as the ones to cancel; call it on the run's main task. */
    void arm() {
        loop = Asyncio.getRunningLoop();
        task = Asyncio.currentTask();
    }

    /** Whether the run was cancelled because the JVM is shutting down (Ctrl-C, SIGTERM). */
    boolean requested() {
        return requested;
    }

    /**
     * Reports a resumable run ({@code batch}, {@code crawl}) stopped by Ctrl-C or SIGTERM: its summary so far
     * (empty if it had not started), then where its {@code results} are and that the same command continues
     * it. Returns {@link #STATUS}; the JVM's exit status is the signal's (130, 143) whatever the command returns.
     */
    static int reportResumable(PrintWriter err, String command, List<String> summary, String results, Path output) {
        summary.forEach(err::println);
        err.println(command + ": interrupted; the " + results + " so far are in " + output
                + ": run the same command again to continue");
        err.flush();
        return STATUS;
    }

    /** The command has reported (or the run is over): the hook may let the JVM exit. */
    @Override
    public void close() {
        loop = null;
        reported.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running or has run
        }
    }

    private void onShutdown() {
        EventLoop l = loop;
        Task<?> t = task;
        if (l == null || t == null) {
            return; // not started, or already over
        }
        requested = true;
        try {
            l.callSoonThreadsafe(() -> t.cancel("interrupted"));
        } catch (RuntimeException e) {
            // the loop has just closed: the run is over, and the command is printing its summary
        }
        try {
            reported.await(REPORT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
