package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import static io.asyncio4j.TestLoops.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ContextVar, Context and Token (CPython Lib/test/test_context.py), and how tasks and callbacks inherit
 * contexts (test_tasks.py test_context_*). Tests that change a context do it inside a fresh
 * {@link Context#run}, so the test thread's own context stays untouched.
 */
class ContextVarTest {

    // ---- get / set / reset (test_context_getset_*) ------------------------------------------------------

    @Test
    void getReturnsTheDefaultWhenTheVariableHasNoValue() {
        ContextVar<String> var = new ContextVar<>("var", "the default");
        assertEquals("the default", var.get());
        assertEquals("var", var.name());
    }

    @Test
    void getWithoutValueOrDefaultThrowsNoSuchElementNamingTheVariable() {
        ContextVar<String> var = new ContextVar<>("request_id");
        NoSuchElementException e = assertThrows(NoSuchElementException.class, var::get);
        assertTrue(e.getMessage().startsWith("ContextVar 'request_id' has no value"), e.getMessage());
        assertTrue(e.getMessage().contains("get(defaultValue)"), e.getMessage());
    }

    @Test
    void getWithAnArgumentReturnsItWhenUnsetAndWinsOverTheVariablesDefault() {
        ContextVar<String> plain = new ContextVar<>("plain");
        ContextVar<String> defaulted = new ContextVar<>("defaulted", "variable default");
        assertNull(plain.get(null));
        assertEquals("argument", plain.get("argument"));
        assertEquals("argument", defaulted.get("argument"));
    }

    @Test
    void setReturnsATokenThatRemembersTheOldValue() {
        new Context().run(() -> {
            ContextVar<Object> c = new ContextVar<>("c");
            Token<Object> t0 = c.set(42);
            assertEquals(42, c.get());
            assertEquals(42, c.get(null));
            assertFalse(t0.hasOldValue());
            assertNull(t0.oldValue());
            assertSame(c, t0.var());
            Token<Object> t = c.set("spam");
            assertEquals("spam", c.get());
            assertTrue(t.hasOldValue());
            assertEquals(42, t.oldValue());
            return null;
        });
    }

    @Test
    void resetRestoresThePreviousValueOrRemovesTheVariable() {
        new Context().run(() -> {
            ContextVar<Object> c = new ContextVar<>("c");
            Token<Object> t0 = c.set(42);
            Token<Object> t = c.set("spam");
            c.reset(t);
            assertEquals(42, c.get());
            c.reset(t0);
            assertNull(c.get(null));
            assertFalse(Context.copyContext().contains(c));
            return null;
        });
    }

    @Test
    void tokenCanBeUsedOnlyOnce() {
        new Context().run(() -> {
            ContextVar<Object> c = new ContextVar<>("c");
            c.set(42);
            Token<Object> t = c.set("spam");
            c.reset(t);
            c.set("spam2");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.reset(t));
            assertTrue(e.getMessage().contains("has already been used"), e.getMessage());
            assertEquals("spam2", c.get());
            assertTrue(t.toString().contains("used"), t.toString());
            return null;
        });
    }

    @Test
    void tokenOfAnotherVariableIsRefused() {
        new Context().run(() -> {
            ContextVar<Integer> v1 = new ContextVar<>("v1");
            ContextVar<Integer> v2 = new ContextVar<>("v2");
            Token<Integer> t1 = v1.set(42);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v2.reset(t1));
            assertTrue(e.getMessage().contains("created by ContextVar 'v1', not by 'v2'"), e.getMessage());
            return null;
        });
    }

    @Test
    void tokenCreatedInAnotherContextIsRefused() {
        // test_context_getset_4
        new Context().run(() -> {
            ContextVar<Integer> c = new ContextVar<>("c", 42);
            Context ctx = new Context();
            Token<Integer> tok = ctx.run(() -> c.set(1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.reset(tok));
            assertTrue(e.getMessage().contains("different Context"), e.getMessage());
            return null;
        });
    }

    @Test
    void copyIsASnapshotThatLaterSetsDoNotChange() {
        new Context().run(() -> {
            ContextVar<String> c = new ContextVar<>("c");
            c.set("spam2");
            Context snapshot = Context.copyContext();
            c.set("later");
            assertEquals("spam2", snapshot.get(c));
            assertTrue(snapshot.contains(c));
            assertEquals(1, snapshot.size());
            assertEquals(List.of(c), snapshot.vars());
            return null;
        });
    }

    // ---- Context.run (test_context_run_*) -----------------------------------------------------------------

    @Test
    void newContextIsEmpty() {
        Context ctx = new Context();
        assertEquals(0, ctx.size());
        assertEquals(List.of(), ctx.vars());
        assertEquals("Context{}", ctx.toString());
    }

    @Test
    void runReturnsTheBodyValueAndTheContextKeepsWhatTheBodySet() {
        // test_context_run_4, test_context_run_6
        ContextVar<Integer> c = new ContextVar<>("a", 0);
        Context ctx = new Context();
        String r = ctx.run(() -> {
            assertEquals(0, c.get());
            assertNull(ctx.get(c));
            c.set(42);
            assertEquals(42, c.get());
            assertEquals(42, ctx.get(c));
            return "returned";
        });
        assertEquals("returned", r);
        assertEquals(42, ctx.get(c));
        assertEquals(0, c.get());
        assertEquals("Context{a=42}", ctx.toString());
    }

    @Test
    void runOfAnotherContextInsideARunSeesOnlyThatContext() {
        // test_context_run_4
        ContextVar<String> var = new ContextVar<>("var");
        Context ctx1 = new Context();
        Context ctx2 = new Context();
        List<String> seen = new ArrayList<>();
        ctx1.run(() -> {
            var.set("spam");
            ctx2.run(() -> seen.add(var.get(null)));
            seen.add(var.get(null));
            return null;
        });
        assertEquals(java.util.Arrays.asList(null, "spam"), seen);
        assertEquals("spam", ctx1.get(var));
    }

    @Test
    void setInsideARunOfACopyDoesNotLeakOut() {
        // test_context_getset_5
        new Context().run(() -> {
            ContextVar<List<Integer>> c = new ContextVar<>("c", List.of());
            c.set(new ArrayList<>());
            Context.copyContext().run(() -> {
                c.set(new ArrayList<>());
                c.get().add(42);
                assertEquals(List.of(42), c.get());
                return null;
            });
            assertEquals(List.of(), c.get());
            return null;
        });
    }

    @Test
    void runRestoresTheOuterContextWhenTheBodyFails() {
        // test_context_run_5
        ContextVar<String> var = new ContextVar<>("var");
        Context ctx = new Context();
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> ctx.run(() -> {
            var.set("spam");
            throw boom;
        })));
        assertNull(var.get(null));
        assertEquals("spam", ctx.get(var));
    }

    @Test
    void runSurfacesACheckedFailureAsCompletionException() {
        // test_context_run_3
        IOException io = new IOException("disk");
        assertSame(io, assertThrows(CompletionException.class, () -> new Context().run(() -> {
            throw io;
        })).getCause());
    }

    @Test
    void runOfAContextThatIsAlreadyEnteredIsRefused() {
        // test_context_run_7
        Context ctx = new Context();
        IllegalStateException e = ctx.run(() -> assertThrows(IllegalStateException.class, () -> ctx.run(() -> "twice")));
        assertTrue(e.getMessage().contains("already entered"), e.getMessage());
        assertEquals("again", ctx.run(() -> "again")); // free once the first run has ended
    }

    @Test
    void copyOfAContextIsIndependentInBothDirections() {
        // test_context_copy_1
        ContextVar<Integer> c = new ContextVar<>("c", 42);
        Context ctx1 = new Context();
        ctx1.run(() -> {
            c.set(10);
            Context ctx2 = Context.copyContext();
            assertEquals(10, ctx2.get(c));
            c.set(20);
            assertEquals(20, ctx1.get(c));
            assertEquals(10, ctx2.get(c));
            ctx2.run(() -> {
                assertEquals(10, c.get());
                c.set(30);
                return null;
            });
            assertEquals(20, ctx1.get(c));
            assertEquals(30, ctx2.get(c));
            return null;
        });
    }

    @Test
    void eachThreadHasItsOwnContext() throws Exception {
        // test_context_threads_1
        ContextVar<String> var = new ContextVar<>("var", "default");
        AtomicReference<String> seenByThread = new AtomicReference<>();
        new Context().run(() -> {
            var.set("main thread");
            Thread t = Thread.ofPlatform().start(() -> {
                seenByThread.set(var.get());
                var.set("other thread");
            });
            t.join();
            assertEquals("main thread", var.get());
            return null;
        });
        assertEquals("default", seenByThread.get());
    }

    // ---- tasks and callbacks (test_tasks.py test_context_1..6) --------------------------------------------

    @Test
    void taskStartsWithACopyOfItsCreatorsContextAndChangesDoNotFlowEitherWay() {
        // test_context_1
        runVirtual(() -> {
            ContextVar<String> cvar = new ContextVar<>("cvar", "nope");
            cvar.set("before createTask");
            List<String> seen = new ArrayList<>();
            Task<Void> sub = Asyncio.createTask(() -> {
                Asyncio.sleep(0.01);
                seen.add(cvar.get());
                cvar.set("set by the task");
            });
            cvar.set("after createTask");
            sub.await();
            assertEquals(List.of("before createTask"), seen);
            assertEquals("after createTask", cvar.get());
        });
    }

    @Test
    void taskCreatedWithAGivenContextRunsInIt() {
        // test_context_4, test_context_6
        runVirtual(() -> {
            ContextVar<Integer> cvar = new ContextVar<>("cvar");
            Context ctx = Context.copyContext();
            List<Integer> ret = new ArrayList<>();
            ret.add(ctx.get(cvar));
            EventLoop loop = Asyncio.getRunningLoop();
            loop.createTask(() -> setAfterYield(cvar, 1), null, ctx).await();
            ret.add(ctx.get(cvar));
            loop.createTask(() -> setAfterYield(cvar, 2), null, ctx).await();
            ret.add(ctx.get(cvar));
            assertEquals(java.util.Arrays.asList(null, 1, 2), ret);
        });
    }

    private static Void setAfterYield(ContextVar<Integer> cvar, int value) {
        Asyncio.sleep(0);
        cvar.set(value);
        return null;
    }

    @Test
    void manyTasksEachKeepTheirOwnValueAcrossWaits() {
        // test_context_3, with deterministic delays
        runVirtual(() -> {
            ContextVar<Integer> cvar = new ContextVar<>("cvar", -1);
            List<Task<Void>> tasks = new ArrayList<>();
            for (int n = 0; n < 20; n++) {
                int num = n;
                tasks.add(Asyncio.createTask(() -> {
                    for (int i = 0; i < 10; i++) {
                        cvar.set(num + i);
                        Asyncio.sleep(0.001 * ((num * 7 + i * 3) % 11));
                        assertEquals(num + i, cvar.get());
                    }
                }));
            }
            for (Task<Void> t : tasks) {
                t.await();
            }
            assertEquals(-1, cvar.get());
        });
    }

    @Test
    void callbacksRunInTheContextCurrentWhenTheyWereScheduled() {
        runVirtual(() -> {
            ContextVar<String> var = new ContextVar<>("var", "unset");
            EventLoop loop = Asyncio.getRunningLoop();
            List<String> seen = new ArrayList<>();
            var.set("for callSoon");
            loop.callSoon(() -> seen.add(var.get()));
            var.set("for callLater");
            loop.callLater(1, () -> seen.add(var.get()));
            var.set("for callAt");
            loop.callAt(2, () -> seen.add(var.get()));
            var.set("after scheduling");
            Asyncio.sleep(3);
            assertEquals(List.of("for callSoon", "for callLater", "for callAt"), seen);
        });
    }

    @Test
    void setsMadeByCallbacksDoNotPolluteTheTaskThatScheduledThem() {
        // test_context_2
        runVirtual(() -> {
            ContextVar<String> cvar = new ContextVar<>("cvar", "nope");
            EventLoop loop = Asyncio.getRunningLoop();
            for (int j = 0; j < 2; j++) {
                Future<Void> fut = new Future<>();
                fut.addDoneCallback(f -> cvar.set("something else"));
                cvar.set("yes" + j);
                loop.callSoon(() -> fut.setResult(null));
                fut.await();
                assertEquals("yes" + j, cvar.get());
                for (int i = 0; i < 3; i++) {
                    cvar.set("yes" + i + "-" + j);
                    Asyncio.sleep(0.001);
                    assertEquals("yes" + i + "-" + j, cvar.get());
                }
            }
        });
    }

    @Test
    void callbackScheduledFromAnEmptyContextDoesNotLeakItsSetsIntoLaterCallbacksOrTheCaller() {
        // asyncio runs every callback in its own copy of the context current at call_soon
        ContextVar<String> var = new ContextVar<>("var", "unset");
        List<String> seen = new ArrayList<>();
        new Context().run(() -> {
            runVirtual(() -> {
                EventLoop loop = Asyncio.getRunningLoop();
                loop.callSoon(() -> var.set("set by a callback"));
                loop.callSoon(() -> seen.add(var.get()));
                Asyncio.sleep(0);
                seen.add(var.get());
            });
            seen.add(var.get());
            return null;
        });
        assertEquals(List.of("unset", "unset", "unset"), seen);
    }

    @Test
    void taskCreatedByACallbackStartsWithACopyOfTheCallbacksContext() {
        runVirtual(() -> {
            ContextVar<String> var = new ContextVar<>("var", "unset");
            EventLoop loop = Asyncio.getRunningLoop();
            AtomicReference<Task<String>> created = new AtomicReference<>();
            var.set("scheduling task's value");
            loop.callSoon(() -> created.set(Asyncio.createTask(() -> var.get())));
            Asyncio.sleep(0);
            assertEquals("scheduling task's value", created.get().await());
        });
    }
}
