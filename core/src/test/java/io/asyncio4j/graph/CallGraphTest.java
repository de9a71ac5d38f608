package io.asyncio4j.graph;

import io.asyncio4j.Asyncio;
import io.asyncio4j.AwaitEdgesForTests;
import io.asyncio4j.EventLoop;
import io.asyncio4j.Future;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.ThrowingRunnable;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The call graph (CPython Lib/test/test_asyncio/test_graph.py), on virtual time. Ported 7 of its 8 cases:
 * test_stack_task, test_stack_future (with and without the TaskGroup), test_stack_tgroup (also without
 * the group), test_stack_timeout (a plain await where CPython shields), test_stack_gather and
 * test_stack_shield, test_stack_wait. Not yet: test_stack_async_gen (async generators are issue 4). Graphs are compared through {@link #walk}, which keeps
 * the shape, task names and the user's method names, as CPython's {@code capture_test_stack} does.
 */
class CallGraphTest {
    // written by the task that captures, read by the test method after the runner closed
    private FutureCallGraph captured;
    private String formatted;

    // ---- shape ------------------------------------------------------------------------------------------

    @Test
    void captureInsideATaskStartsAtTheCallerAndListsTheTaskAwaitingIt() {
        // test_stack_task
        runVirtual(this::taskMain);
        assertEquals(node("T<there there>", List.of("inner", "c1"),
                node("T<Task-1>", List.of("c2", "taskMain"))), walk(captured));
    }

    private void taskMain() {
        c2();
    }

    private void c2() {
        Asyncio.createTask(this::c1, "there there").await();
    }

    private void c1() {
        inner();
    }

    private void inner() {
        Asyncio.sleep(0);
        captured = Asyncio.captureCallGraph();
    }

    @Test
    void futureAwaitedByTwoTasksListsBothWithTheirStacks() {
        // test_stack_future
        runVirtual(() -> {
            Future<Void> fut = new Future<>();
            Task<Void> a = Asyncio.createTask(() -> a1(fut), "task A");
            Task<Void> b = Asyncio.createTask(() -> b1(fut), "task B");
            letOthersRun();
            captured = CallGraph.capture(fut);
            formatted = CallGraph.format(fut);
            fut.setResult(null);
            a.await();
            b.await();
        });
        assertEquals(node("F", List.of(),
                node("T<task A>", List.of("a2", "a1")),
                node("T<task B>", List.of("b1"))), walk(captured));
        assertTrue(formatted.startsWith("* Future(id=0x"), formatted);
    }

    private void a1(Future<Void> fut) {
        a2(fut);
    }

    private void a2(Future<Void> fut) {
        fut.await();
    }

    private void b1(Future<Void> fut) {
        fut.await();
    }

    @Test
    void captureFromAFutureFollowsTheChainOfAwaitsUpToTheMainTask() {
        runVirtual(this::chainMain);
        assertEquals(node("F", List.of(),
                node("T<inner>", List.of("awaitsTheFuture"),
                        node("T<outer>", List.of("awaitsTheInnerTask"),
                                node("T<Task-1>", List.of("chainMain"))))), walk(captured));
    }

    private void chainMain() {
        Future<String> fut = new Future<>();
        Task<String> outer = Asyncio.createTask(() -> awaitsTheInnerTask(fut), "outer");
        Asyncio.createTask(() -> {
            letOthersRun();
            captured = CallGraph.capture(fut);
            fut.setResult("done");
        }, "observer");
        assertEquals("done", outer.await());
    }

    private String awaitsTheInnerTask(Future<String> fut) {
        return Asyncio.createTask(() -> awaitsTheFuture(fut), "inner").await();
    }

    private String awaitsTheFuture(Future<String> fut) {
        return fut.await();
    }

    @Test
    void taskAwaitedByTwoTasksIsListedUnderBothAndEachWaiterHasItsOwnWaiters() {
        // test_stack_tgroup's shape: c2_root awaited by sub_main_1 and sub_main_2
        runVirtual(() -> {
            Task<Void> root = Asyncio.createTask(this::twoWaitersC2, "c2_root");
            Task<Void> sub1 = Asyncio.createTask(() -> awaitsTask(root), "sub_main_1");
            Task<Void> sub2 = Asyncio.createTask(() -> awaitsTask(root), "sub_main_2");
            sub1.await();
            sub2.await();
        });
        assertEquals(node("T<c2_root>", List.of("twoWaitersC5", "twoWaitersC4", "twoWaitersC3", "twoWaitersC2"),
                node("T<sub_main_1>", List.of("awaitsTask"), node("T<Task-1>", List.of())),
                node("T<sub_main_2>", List.of("awaitsTask"))), walk(captured));
    }

    private void awaitsTask(Task<Void> task) {
        task.await();
    }

    private void twoWaitersC2() {
        twoWaitersC3();
    }

    private void twoWaitersC3() {
        twoWaitersC4();
    }

    private void twoWaitersC4() {
        Asyncio.sleep(0);
        twoWaitersC5();
    }

    private void twoWaitersC5() {
        captured = Asyncio.captureCallGraph();
    }

    @Test
    void taskGroupChildrenAreAwaitedByTheTaskRunningTheGroup() {
        // test_stack_tgroup: the group's task waits for every child; sub_main_1 and sub_main_2 also await c2_root
        runVirtual(this::groupMain);
        List<Object> groupTask = node("T<Task-1>", List.of("groupMain"));
        assertEquals(node("T<c2_root>", List.of("twoWaitersC5", "twoWaitersC4", "twoWaitersC3", "twoWaitersC2"),
                groupTask,
                node("T<sub_main_1>", List.of("awaitsTask"), groupTask),
                node("T<sub_main_2>", List.of("awaitsTask"), groupTask)), walk(captured));
    }

    private void groupMain() {
        Asyncio.taskGroup(tg -> {
            Task<Void> root = tg.createTask(this::twoWaitersC2, "c2_root");
            tg.createTask(() -> awaitsTask(root), "sub_main_1");
            tg.createTask(() -> awaitsTask(root), "sub_main_2");
            return null;
        });
    }

    @Test
    void gatherChildrenAreAwaitedByTheTaskThatGathers() {
        // test_stack_gather
        runVirtual(this::gatherMain);
        assertEquals(node("T<Task-2>", List.of("deep", "gatherC1"),
                node("T<Task-1>", List.of("gatherMain"))), walk(captured));
    }

    private void gatherMain() {
        Asyncio.<Void>gather(this::gatherC1, () -> {
            Asyncio.sleep(0);
            return null;
        });
    }

    private Void gatherC1() {
        Asyncio.sleep(0);
        deep();
        return null;
    }

    private void deep() {
        Asyncio.sleep(0);
        captured = Asyncio.captureCallGraph();
    }

    @Test
    void aShieldedTaskIsAwaitedByTheTaskThatShieldsIt() {
        // test_stack_shield
        runVirtual(this::shieldMain);
        assertEquals(node("T<Task-2>", List.of("deep", "shieldC1"),
                node("T<Task-1>", List.of("shieldMain"))), walk(captured));
    }

    private void shieldMain() {
        Asyncio.shield(Asyncio.createTask(this::shieldC1));
    }

    private Void shieldC1() {
        Asyncio.sleep(0);
        deep();
        return null;
    }

    @Test
    void tasksPassedToWaitAreAwaitedByTheWaitingTask() {
        // test_stack_wait
        runVirtual(this::waitMain);
        assertEquals(node("T<c1>", List.of("deep", "waitC1"),
                node("T<Task-1>", List.of("waitMain"))), walk(captured));
    }

    private void waitMain() {
        Task<Void> c1 = Asyncio.createTask(this::waitC1, "c1");
        Asyncio.wait(List.of(c1));
    }

    private Void waitC1() {
        Asyncio.sleep(0);
        deep();
        return null;
    }

    @Test
    void futureAwaitedByTwoTasksOfAGroupShowsTheGroupTaskAboveEach() {
        // test_stack_future as CPython writes it, with the TaskGroup
        runVirtual(this::futureGroupMain);
        List<Object> groupTask = node("T<Task-1>", List.of("futureGroupMain"));
        assertEquals(node("F", List.of(),
                node("T<task A>", List.of("a2", "a1"), groupTask),
                node("T<task B>", List.of("b1"), groupTask)), walk(captured));
    }

    private void futureGroupMain() {
        Future<Void> fut = new Future<>();
        Asyncio.taskGroup(g -> {
            g.createTask(() -> a1(fut), "task A");
            g.createTask(() -> b1(fut), "task B");
            letOthersRun();
            captured = CallGraph.capture(fut);
            fut.setResult(null);
            return null;
        });
    }

    @Test
    void aTimeoutScopeAddsNoFramesAndNoWaiter() {
        // test_stack_timeout, with a plain await where CPython shields the task
        runVirtual(() -> timeoutMain());
        assertEquals(node("T<timed>", List.of("timedInner", "timedC1"),
                node("T<Task-1>", List.of("timeoutMain"))), walk(captured));
    }

    private void timeoutMain() {
        Asyncio.createTask(this::timedC1, "timed").await();
    }

    private void timedC1() {
        Asyncio.timeout(1.0, () -> {
            Asyncio.sleep(0);
            timedInner();
        });
    }

    private void timedInner() {
        Asyncio.sleep(0);
        captured = Asyncio.captureCallGraph();
    }

    @Test
    void edgeIsGoneOnceTheAwaitEnds() {
        List<List<Object>> graphs = new ArrayList<>();
        runVirtual(() -> {
            Future<String> fut = new Future<>();
            Task<String> waiter = Asyncio.createTask(() -> awaitsTheFuture(fut), "waiter");
            letOthersRun();
            graphs.add(walk(CallGraph.capture(fut)));
            fut.setResult("r");
            graphs.add(walk(CallGraph.capture(fut))); // done, but the waiter has not resumed yet
            waiter.await();
            graphs.add(walk(CallGraph.capture(fut)));
            graphs.add(walk(CallGraph.capture(waiter)));
        });
        assertEquals(List.of(
                node("F", List.of(), node("T<waiter>", List.of("awaitsTheFuture"))),
                node("F", List.of(), node("T<waiter>", List.of("awaitsTheFuture"))),
                node("F", List.of()),
                node("T<waiter>", List.of())), graphs);
    }

    @Test
    void futuresAwaitingEachOtherInACycleAreCutWhereTheyRepeat() {
        runVirtual(() -> {
            Future<Void> f1 = new Future<>();
            Future<Void> f2 = new Future<>();
            AwaitEdgesForTests.addAwaitedBy(f1, f2);
            AwaitEdgesForTests.addAwaitedBy(f2, f1);
            captured = CallGraph.capture(f1);
            AwaitEdgesForTests.discardAwaitedBy(f1, f2);
            AwaitEdgesForTests.discardAwaitedBy(f2, f1);
            assertSame(f1, captured.future());
            assertSame(f2, captured.awaitedBy().getFirst().future());
            assertSame(f1, captured.awaitedBy().getFirst().awaitedBy().getFirst().future());
        });
        assertEquals(node("F", List.of(), node("F", List.of(), node("F", List.of()))), walk(captured));
    }

    // ---- frames -----------------------------------------------------------------------------------------

    @Test
    void stacksHoldOnlyUserFramesNoLibraryOrVirtualThreadMachinery() {
        runVirtual(this::chainMain);
        List<StackTraceElement> frames = new ArrayList<>();
        collectFrames(captured, frames);
        assertEquals(3, frames.stream().filter(e -> !e.getMethodName().startsWith("lambda$")).count(), frames.toString());
        for (StackTraceElement e : frames) {
            assertEquals(CallGraphTest.class.getName(), e.getClassName(), frames.toString());
        }
    }

    @Test
    void captureOfTheCurrentTaskIsWhatTheFacadeCaptures() {
        runVirtual(() -> {
            FutureCallGraph viaFacade = Asyncio.captureCallGraph();
            FutureCallGraph viaCapture = CallGraph.capture(Asyncio.currentTask());
            assertSame(Asyncio.currentTask(), viaFacade.future());
            assertEquals(methods(viaFacade), methods(viaCapture));
            // the test's own lambda, called by the task: nothing of Asyncio, CallGraph or the kernel above it
            assertEquals(1, viaFacade.callStack().size(), viaFacade.callStack().toString());
            assertTrue(viaFacade.callStack().getFirst().frame().getMethodName().startsWith("lambda$"));
        });
    }

    private static List<String> methods(FutureCallGraph g) {
        return g.callStack().stream().map(e -> e.frame().getMethodName()).toList();
    }

    @Test
    void capturingAWokenTaskDoesNotGiveItAnExtraTurn() {
        // Reading the stack of a task that is woken but not yet run (in the ready queue) makes the JDK submit
        // its thread again; that second submission must not let it run ahead of the tasks queued after it.
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Task<Void> x = Asyncio.createTask(() -> {
                events.add("x1");
                Asyncio.sleep(0);
                events.add("x2");
                Asyncio.sleep(0);
                events.add("x3");
            }, "x");
            Asyncio.sleep(0);
            assertFalse(CallGraph.capture(x).callStack().isEmpty()); // x waits in the ready queue
            events.add("main1");
            Asyncio.sleep(0);
            events.add("main2");
            x.await();
        });
        assertEquals(List.of("x1", "main1", "x2", "main2", "x3"), events);
    }

    // ---- text ---------------------------------------------------------------------------------------------

    @Test
    void formatWritesEachTaskItsStackAndItsWaitersIndentedLikeAsyncio() {
        runVirtual(this::formatMain);
        assertEquals(List.of(
                "* Task(name='formatter', id=0x?)",
                "  + Call stack:",
                "  |   File 'CallGraphTest.java', line ?, in CallGraphTest.formats()",
                "  + Awaited by:",
                "    * Task(name='Task-1', id=0x?)",
                "      + Call stack:",
                "      |   File 'CallGraphTest.java', line ?, in CallGraphTest.formatMain()"),
                formatted.lines().map(CallGraphTest::withoutIdsAndLines).toList());
    }

    private void formatMain() {
        Asyncio.createTask(this::formats, "formatter").await();
    }

    private void formats() {
        formatted = Asyncio.formatCallGraph();
    }

    @Test
    void printWritesTheFormatAndALineBreak() {
        runVirtual(() -> {
            Future<Void> fut = new Future<>();
            Task<Void> waiter = Asyncio.createTask(() -> b1(fut), "waiter");
            letOthersRun();
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            CallGraph.print(fut, new PrintStream(buffer, true, StandardCharsets.UTF_8));
            String expected = CallGraph.format(fut) + System.lineSeparator();
            assertEquals(expected, buffer.toString(StandardCharsets.UTF_8));
            assertTrue(expected.contains("* Task(name='waiter', id=0x"), expected);
            fut.setResult(null);
            waiter.await();
        });
    }

    @Test
    void printCallGraphWritesTheCurrentTaskToStandardOutput() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            runVirtual(() -> Asyncio.createTask(Asyncio::printCallGraph, "printer").await());
        } finally {
            System.setOut(out);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("* Task(name='printer', id=0x"), text);
        assertTrue(text.contains("  + Awaited by:" + System.lineSeparator() + "    * Task(name='Task-1', id=0x"), text);
    }

    @Test
    void taskNamesAreQuotedAsPythonsReprDoes() {
        assertEquals("'plain'", CallGraph.quote("plain"));
        assertEquals("\"it's\"", CallGraph.quote("it's"));
        assertEquals("'both \\' and \"'", CallGraph.quote("both ' and \""));
        assertEquals("'back\\\\slash'", CallGraph.quote("back\\slash"));
    }

    // ---- where it may be called -------------------------------------------------------------------------

    @Test
    void captureFromAnotherThreadIsAnErrorThatNamesTheWayOut() {
        runVirtual(() -> {
            Future<Void> fut = new Future<>();
            IllegalStateException e = Asyncio.toThread(() -> assertThrows(IllegalStateException.class,
                    () -> CallGraph.capture(fut)));
            assertTrue(e.getMessage().startsWith("CallGraph.capture() must be called on the event loop's thread"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("callSoonThreadsafe"), e.getMessage());
        });
    }

    @Test
    void facadeReturnsNullAndAnEmptyTextInALoopCallbackLikeAsyncio() {
        List<Object> seen = new ArrayList<>();
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Void> ran = new Future<>();
            loop.callSoon(() -> {
                seen.add(Asyncio.captureCallGraph());
                seen.add(Asyncio.formatCallGraph());
                ran.setResult(null);
            });
            ran.await();
        });
        List<Object> expected = new ArrayList<>();
        expected.add(null);
        expected.add("");
        assertEquals(expected, seen);
    }

    @Test
    void facadeOutsideARunningLoopIsAnError() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Asyncio::captureCallGraph);
        assertTrue(e.getMessage().startsWith("Asyncio.captureCallGraph() needs a running event loop"), e.getMessage());
        assertThrows(IllegalStateException.class, Asyncio::formatCallGraph);
        assertThrows(IllegalStateException.class, Asyncio::printCallGraph);
    }

    @Test
    void graphListsAreUnmodifiableSnapshots() {
        runVirtual(() -> {
            FutureCallGraph g = Asyncio.captureCallGraph();
            assertThrows(UnsupportedOperationException.class, () -> g.awaitedBy().add(g));
            assertThrows(UnsupportedOperationException.class, () -> g.callStack().clear());
            assertFalse(g.callStack().isEmpty());
        });
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static void runVirtual(ThrowingRunnable main) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(main);
        }
    }

    /** Lets every other ready task run until it waits, a few rounds over. */
    private static void letOthersRun() {
        for (int i = 0; i < 5; i++) {
            Asyncio.sleep(0);
        }
    }

    /**
     * A graph as nested lists, as CPython's test helper builds it: {@code [T<name> or F, [method names],
     * [waiters…]]}. Lambda frames are left out: their names depend on the compiler.
     */
    static List<Object> walk(FutureCallGraph g) {
        String kind = g.future() instanceof Task<?> t ? "T<" + t.getName() + ">" : "F";
        List<String> frames = g.callStack().stream().map(e -> e.frame().getMethodName())
                .filter(m -> !m.startsWith("lambda$")).toList();
        List<Object> waiters = new ArrayList<>();
        for (FutureCallGraph w : g.awaitedBy()) {
            waiters.add(walk(w));
        }
        return List.of(kind, frames, waiters);
    }

    private static List<Object> node(String kind, List<String> frames, List<?>... waiters) {
        return List.of(kind, frames, List.of((Object[]) waiters));
    }

    private static void collectFrames(FutureCallGraph g, List<StackTraceElement> out) {
        for (FrameCallGraphEntry e : g.callStack()) {
            out.add(e.frame());
        }
        for (FutureCallGraph w : g.awaitedBy()) {
            collectFrames(w, out);
        }
    }

    private static String withoutIdsAndLines(String line) {
        return line.replaceAll("id=0x[0-9a-f]+", "id=0x?").replaceAll("line \\d+", "line ?");
    }
}
