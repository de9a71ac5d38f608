package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.asyncio4j.TestLoops.awaitCancelled;
import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facade's module-level functions (asyncio.run, create_task, sleep, get_running_loop, current_task). */
class AsyncioTest {

    // ---- run -------------------------------------------------------------------------------------------

    @Test
    void runReturnsTheValueOfTheMainBody() {
        assertEquals("main result", Asyncio.run(() -> {
            Asyncio.sleep(0);
            return "main result";
        }));
    }

    @Test
    void runOfAVoidBodyRunsIt() {
        List<String> events = new ArrayList<>();
        Asyncio.run(() -> {
            Asyncio.sleep(0);
            events.add("ran");
        });
        assertEquals(List.of("ran"), events);
    }

    // ---- sleep (test_sleep, test_sleep_when_delay_is_nan) ------------------------------------------------

    @Test
    void sleepForADurationAdvancesTheClockByExactlyThatDuration() {
        runVirtual(() -> {
            Asyncio.sleep(Duration.ofMillis(1500));
            assertEquals(1.5, now());
            Asyncio.sleep(Duration.ofMinutes(1));
            assertEquals(61.5, now());
        });
    }

    @Test
    void sleepForSecondsAdvancesTheClockByExactlyThatMany() {
        runVirtual(() -> {
            Asyncio.sleep(0.25);
            Asyncio.sleep(2);
            assertEquals(2.25, now());
        });
    }

    @Test
    void negativeSleepYieldsExactlyOnceLikeSleepZero() {
        runVirtual(() -> {
            assertEquals(List.of("iteration 1", "resumed", "iteration 2"), yieldOrder(() -> Asyncio.sleep(-1.0)));
            assertEquals(List.of("iteration 1", "resumed", "iteration 2"),
                    yieldOrder(() -> Asyncio.sleep(Duration.ofSeconds(-5))));
            assertEquals(List.of("iteration 1", "resumed", "iteration 2"), yieldOrder(() -> Asyncio.sleep(Duration.ZERO)));
            assertEquals(0.0, now());
        });
    }

    /** Where {@code sleep} resumes relative to a chain of two callbacks scheduled one iteration apart. */
    private static List<String> yieldOrder(Runnable sleep) {
        List<String> events = new ArrayList<>();
        EventLoop loop = Asyncio.getRunningLoop();
        loop.callSoon(() -> {
            events.add("iteration 1");
            loop.callSoon(() -> events.add("iteration 2"));
        });
        sleep.run();
        events.add("resumed");
        Asyncio.sleep(0);
        return events;
    }

    @Test
    void sleepOfNaNSecondsIsRefused() {
        runVirtual(() -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.sleep(Double.NaN));
            assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        });
    }

    @Test
    void anEndlessSleepCanStillBeCancelled() {
        runVirtual(() -> {
            Task<Void> forever = Asyncio.createTask(() -> Asyncio.sleep(Duration.ofSeconds(Long.MAX_VALUE)));
            Task<Void> alsoForever = Asyncio.createTask(() -> Asyncio.sleep(Double.POSITIVE_INFINITY));
            Asyncio.sleep(1);
            forever.cancel();
            alsoForever.cancel();
            awaitCancelled(forever);
            awaitCancelled(alsoForever);
            assertEquals(1.0, now());
        });
    }

    // ---- tasks -----------------------------------------------------------------------------------------

    @Test
    void createTaskOfAVoidBodyGivesATaskWithANullResult() {
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            Task<Void> t = Asyncio.createTask(() -> {
                events.add("ran");
            }, "void body");
            assertNull(t.await());
            assertEquals("void body", t.getName());
            assertEquals(List.of("ran"), events);
        });
    }

    @Test
    void getRunningLoopInsideACallbackIsTheLoopAndThereIsNoCurrentTask() {
        runVirtual(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            AtomicReference<EventLoop> seenLoop = new AtomicReference<>();
            AtomicReference<Task<?>> seenTask = new AtomicReference<>(Asyncio.currentTask());
            loop.callSoon(() -> {
                seenLoop.set(Asyncio.getRunningLoop());
                seenTask.set(Asyncio.currentTask());
            });
            Asyncio.sleep(0);
            assertSame(loop, seenLoop.get());
            assertNull(seenTask.get());
        });
    }

    // ---- outside a loop --------------------------------------------------------------------------------

    @Test
    void createTaskOutsideALoopIsRefusedSayingWhatToDo() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.createTask(() -> "x"));
        assertTrue(e.getMessage().startsWith("Asyncio.createTask() needs a running event loop"), e.getMessage());
        assertTrue(e.getMessage().contains("inside Asyncio.run(...)"), e.getMessage());
    }

    @Test
    void getRunningLoopOutsideALoopIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Asyncio::getRunningLoop);
        assertTrue(e.getMessage().startsWith("Asyncio.getRunningLoop() needs a running event loop"), e.getMessage());
    }

    @Test
    void currentTaskOutsideALoopIsNull() {
        // test_current_task_no_running_loop
        assertNull(Asyncio.currentTask());
    }

    @Test
    void sleepOutsideATaskIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.sleep(1));
        assertTrue(e.getMessage().startsWith("Asyncio.sleep() must be called inside a task"), e.getMessage());
    }

    @Test
    void allTasksAndToThreadOutsideALoopAreRefused() {
        assertThrows(IllegalStateException.class, Asyncio::allTasks);
        assertThrows(IllegalStateException.class, () -> Asyncio.toThread(() -> "x"));
    }

    @Test
    void sleepInALoopCallbackIsRefused() {
        runVirtual(() -> {
            AtomicReference<Throwable> refused = new AtomicReference<>();
            Asyncio.getRunningLoop().callSoon(() -> refused.set(assertThrows(IllegalStateException.class,
                    () -> Asyncio.sleep(1))));
            Asyncio.sleep(0);
            assertTrue(refused.get().getMessage().contains("must be called inside a task"), refused.get().getMessage());
        });
    }
}
