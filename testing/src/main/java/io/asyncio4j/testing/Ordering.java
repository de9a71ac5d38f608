package io.asyncio4j.testing;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;

import org.opentest4j.AssertionFailedError;

import java.util.ArrayDeque;
import java.util.StringJoiner;

/**
 * Asserts the order in which the steps of a scenario happen, across tasks, loop callbacks and threads
 * (kotlinx.coroutines' {@code TestBase.expect}/{@code finish}).
 *
 * <p>Number the steps of a scenario 1, 2, 3… in the order they must happen. Call {@link #expect(int)} at
 * each step and {@link #finish(int)} at the last one. A step that comes too early or too late fails at
 * once, naming the step it was expected to be, the step it really was, and who took the steps so far.
 * {@link #expectUnreached()} marks code that must never run.
 *
 * <h2>Usage</h2>
 * {@snippet :
 * @AsyncioTest
 * void createdTaskStartsWhenItsCreatorYields(Runner runner, Ordering order) {
 *     runner.run(() -> {
 *         order.expect(1);
 *         Task<Void> child = Asyncio.createTask(() -> order.expect(3));
 *         order.expect(2);               // created, not started: the creator runs on
 *         Asyncio.sleep(0);              // yield: the child runs now
 *         order.expect(4);
 *         child.await();
 *         order.finish(5);
 *     });
 * }
 * }
 * (This example is {@code OrderingTest.createdTaskStartsWhenItsCreatorYields}.) With
 * {@link AsyncioExtension}, an {@code Ordering} parameter is a fresh one per test, and the test fails if it
 * took a step but never reached {@code finish}. {@code Ordering} fields of the test instance are checked
 * the same way (with the default per-method test instance lifecycle).
 *
 * <h2>States</h2>
 * <pre>
 *   UNUSED ──expect(1)──▶ STEPPING ──expect(n+1)…──▶ STEPPING ──finish(last)──▶ FINISHED
 *     │                      │
 *     └──finish(1)───────────┼────────────────────────────────────────────────▶ FINISHED
 *                            └─ any out-of-order step, expectUnreached(), a step after finish:
 *                               throws, and the first such failure is remembered for good
 * </pre>
 * {@link #assertFinished()} passes for UNUSED and FINISHED with no remembered failure; it fails for
 * STEPPING (finish is mandatory once a step was taken, as in kotlinx) and whenever a failure was
 * remembered.
 *
 * <h2>Thread-safety</h2>
 * Every method may be called from any thread: tasks of one or more loops, loop callbacks, {@code toThread}
 * workers. Steps are counted under a lock, so two threads racing for the same step cannot both pass.
 *
 * <h2>Pitfalls</h2>
 * <ul>
 *   <li>A failed step throws {@link AssertionFailedError} in the thread that took it. In a task that
 *       nobody awaits, or under a {@code catch (Throwable t)}, that error would be lost; so the first
 *       failure is remembered and {@link #assertFinished()} (called by {@link AsyncioExtension} after each
 *       test) fails with it as the cause.</li>
 *   <li>{@code Ordering} checks order, not completeness: a step that never runs shows only as the next
 *       step failing, or as a missing {@code finish}. End every scenario with {@code finish(n)}.</li>
 *   <li>The extension sees only {@code Ordering} parameters and fields. For one held in a local
 *       variable, call {@link #assertFinished()} yourself at the end of the test.</li>
 *   <li>Each step number is taken once. A step inside a loop body needs a number computed from the
 *       iteration ({@code order.expect(2 + i)}).</li>
 * </ul>
 */
public final class Ordering {
    /*
     * Implementation overview.
     *
     * One monitor guards everything; steps are rare (tests only) and never wait, so a lock is simpler than
     * atomics and lets a step, its history entry and the finished flag change together. (JDK 24+ does not
     * pin a virtual thread that holds a monitor, and no one blocks while holding this one.)
     *
     * `history` keeps the last HISTORY steps as text ("#2 expect(2) in task 'worker'") for failure
     * messages. `failure` is the first AssertionFailedError thrown by any method; it is sticky.
     */
    private static final int HISTORY = 8;

    // all fields: guarded by `this`; written and read by any thread
    private int step;
    private boolean finished;
    private AssertionFailedError failure;
    private final ArrayDeque<String> history = new ArrayDeque<>();

    /** A fresh ordering: no step taken yet. */
    public Ordering() {
    }

    /**
     * Takes the next step and asserts that it is step {@code n} (steps start at 1).
     *
     * @param n the number this step has in the scenario
     * @throws AssertionFailedError if this is not step {@code n}, or if {@link #finish(int)} was already
     *                              called
     */
    public void expect(int n) {
        takeStep("expect", n, false);
    }

    /**
     * Takes the last step: asserts that it is step {@code n}, like {@link #expect(int)}, and that no
     * {@code finish} came before. Mandatory once any step was taken (see {@link #assertFinished()}).
     *
     * @param n the number of the scenario's last step
     * @throws AssertionFailedError if this is not step {@code n}, or {@code finish} was already called
     */
    public void finish(int n) {
        takeStep("finish", n, true);
    }

    /**
     * Marks code that must never run: always fails (and the failure is remembered, so it fails the test even
     * if the throwing task is never awaited).
     *
     * @throws AssertionFailedError always
     */
    public synchronized void expectUnreached() {
        throw fail("Ordering.expectUnreached() was reached after step " + step + ", in " + who() + stepsSoFar(),
                null, null);
    }

    /**
     * How many steps were taken so far.
     *
     * @return 0 before the first step; then the number of the last step taken, failed ones included
     */
    public synchronized int step() {
        return step;
    }

    /**
     * Asserts that the scenario is complete: either no step was taken, or {@link #finish(int)} was; and that
     * no step failed, even one whose error was swallowed. {@link AsyncioExtension} calls this after each test
     * for every {@code Ordering} parameter and field.
     *
     * @throws AssertionFailedError naming the missing {@code finish(n)}, or wrapping the first remembered
     *                              failure (as the cause)
     */
    public synchronized void assertFinished() {
        if (failure != null) {
            throw new AssertionFailedError("Ordering failed earlier (the error may have been swallowed by the "
                    + "task or thread that hit it): " + failure.getMessage(), failure);
        }
        if (step > 0 && !finished) {
            throw new AssertionFailedError("Ordering: finish(" + (step + 1) + ") was never called; the last step "
                    + "was " + step + stepsSoFar() + ". A scenario that calls expect(n) must end with finish(n)");
        }
    }

    /** The first failure any method of this ordering threw, or null (for {@link AsyncioExtension}). */
    synchronized AssertionFailedError failure() {
        return failure;
    }

    @Override
    public synchronized String toString() {
        return "Ordering[step=" + step + (finished ? ", finished" : "") + (failure != null ? ", failed" : "") + "]";
    }

    // ---- implementation ----------------------------------------------------------------------------------

    private synchronized void takeStep(String api, int n, boolean last) {
        String who = who();
        if (finished) {
            // finish(3) ran, then something took another step: finish was not the last step after all
            throw fail("Ordering: " + api + "(" + n + ") was called in " + who + " after finish(" + step
                    + "); finish(n) must be the last step" + stepsSoFar(), null, null);
        }
        int actual = ++step;
        remember("#" + actual + " " + api + "(" + n + ") in " + who);
        if (actual != n) {
            String hint = n > actual
                    ? "an earlier step has not run yet"
                    : "it ran late: step " + n + " was already taken";
            throw fail("Ordering: " + api + "(" + n + ") ran as step " + actual + " in " + who + " (" + hint + ")"
                    + stepsSoFar(), n, actual);
        }
        if (last) {
            finished = true;
        }
    }

    private AssertionFailedError fail(String message, Integer expected, Integer actual) {
        AssertionFailedError e = expected == null
                ? new AssertionFailedError(message)
                : new AssertionFailedError(message, expected, actual);
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    private void remember(String entry) {
        if (history.size() == HISTORY) {
            history.removeFirst();
        }
        history.addLast(entry);
    }

    private String stepsSoFar() {
        if (history.isEmpty()) {
            return "";
        }
        StringJoiner j = new StringJoiner("; ", ". Steps so far" + (step > HISTORY ? " (the last " + HISTORY + ")" : "")
                + ": ", "");
        history.forEach(j::add);
        return j.toString();
    }

    /** "task 'worker'" inside a task, else "thread 'main'". */
    private static String who() {
        Task<?> t = Asyncio.currentTask();
        return t != null ? "task '" + t.getName() + "'" : "thread '" + Thread.currentThread().getName() + "'";
    }
}
