package io.asyncio4j;

import io.asyncio4j.modulepath.AsyncioOnTheModulePath;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The errors users will hit first (issue 2): each one names the API that was misused, the rule it broke
 * and what to do instead. One test per mistake; each asserts on the parts of the message a reader needs.
 */
class ErrorMessagesTest {

    private static void assertMentions(Throwable e, String... parts) {
        String message = e.getMessage();
        for (String part : parts) {
            assertTrue(message != null && message.contains(part), () -> "'" + part + "' missing from: " + message);
        }
    }

    // ---- run() inside a running loop ---------------------------------------------------------------------

    @Test
    void runInsideARunningLoopSaysToCallTheBodyOrCreateATask() {
        Asyncio.run(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.run(() -> "nested"));
            assertMentions(e, "Asyncio.run() cannot be called from a running event loop", "call the body directly",
                    "Asyncio.createTask(");
            try (Runner runner = new Runner()) {
                IllegalStateException r = assertThrows(IllegalStateException.class, () -> runner.run(() -> "nested"));
                assertMentions(r, "Runner.run() cannot be called from a running event loop", "Asyncio.createTask(");
            }
            // from a loop callback too
            Future<IllegalStateException> fromCallback = Asyncio.getRunningLoop().createFuture();
            Asyncio.getRunningLoop().callSoon(() ->
                    fromCallback.setResult(assertThrows(IllegalStateException.class, () -> Asyncio.run(() -> "nested"))));
            assertMentions(fromCallback.await(), "Asyncio.run() cannot be called from a running event loop");
        });
    }

    // ---- createTask outside a loop -----------------------------------------------------------------------

    @Test
    void createTaskOutsideALoopSaysToCallItInsideAsyncioRun() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.createTask(() -> "never"));
        assertMentions(e, "Asyncio.createTask() needs a running event loop", "inside Asyncio.run(",
                "'" + Thread.currentThread().getName() + "'");
        IllegalStateException sleep = assertThrows(IllegalStateException.class, () -> Asyncio.sleep(1));
        assertMentions(sleep, "Asyncio.sleep() must be called inside a task", "Asyncio.run(");
        IllegalStateException future = assertThrows(IllegalStateException.class, Future::new);
        assertMentions(future, "new Future() needs a running event loop", "Asyncio.run(");
    }

    // ---- result() of a pending future --------------------------------------------------------------------

    @Test
    void resultOfAPendingFutureIsAnInvalidStateErrorThatSaysToAwaitIt() {
        Asyncio.run(() -> {
            Future<String> f = new Future<>();
            InvalidStateError result = assertThrows(InvalidStateError.class, f::result);
            assertMentions(result, "Result is not ready", "Future.result()", "pending", "await()", "done callback");
            InvalidStateError exception = assertThrows(InvalidStateError.class, f::exception);
            assertMentions(exception, "Exception is not set", "Future.exception()", "await()");

            Task<String> t = Asyncio.createTask(() -> "later", "later");
            InvalidStateError ofTask = assertThrows(InvalidStateError.class, t::result);
            assertMentions(ofTask, "Result is not ready", "Task.result()", "name=later", "await()");
            t.await();
        });
    }

    // ---- setResult twice ---------------------------------------------------------------------------------

    @Test
    void setResultTwiceIsAnInvalidStateErrorThatSaysAFutureCompletesOnce() {
        Asyncio.run(() -> {
            Future<Integer> f = new Future<>();
            f.setResult(1);
            InvalidStateError twice = assertThrows(InvalidStateError.class, () -> f.setResult(2));
            assertMentions(twice, "Future.setResult()", "already done", "result=1", "only once", "done()");
            InvalidStateError failLater = assertThrows(InvalidStateError.class,
                    () -> f.setException(new RuntimeException("late")));
            assertMentions(failLater, "Future.setException()", "already done", "only once");
            assertEquals(1, f.result());

            Future<Integer> cancelled = new Future<>();
            cancelled.cancel();
            assertMentions(assertThrows(InvalidStateError.class, () -> cancelled.setResult(3)),
                    "Future.setResult()", "already done", "cancelled");
        });
    }

    // ---- loop-bound objects used from another thread -----------------------------------------------------

    @Test
    void loopBoundObjectUsedFromAnotherThreadSaysToUseCallSoonThreadsafe() {
        String loopThread = Thread.currentThread().getName();
        Asyncio.run(() -> {
            EventLoop loop = Asyncio.getRunningLoop();
            Future<Integer> f = new Future<>();
            Task<Void> sleeper = Asyncio.createTask(() -> Asyncio.sleep(3600), "sleeper");
            Asyncio.sleep(0);
            RuntimeException[] refused = Asyncio.toThread(() -> new RuntimeException[] {
                    assertThrows(IllegalStateException.class, () -> f.setResult(1)),
                    assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> { })),
                    assertThrows(IllegalStateException.class, sleeper::cancel),
                    assertThrows(IllegalStateException.class, () -> loop.createTask(() -> "never", "never")),
            });
            String worker = refused[0].getMessage().replaceAll(".*not on '([^']*)'.*", "$1");
            assertTrue(worker.startsWith("asyncio4j-worker"), refused[0].getMessage());
            String[] apis = {"Future.setResult()", "EventLoop.callSoon()", "Task.cancel()", "EventLoop.createTask()"};
            for (int i = 0; i < apis.length; i++) {
                assertMentions(refused[i], apis[i] + " must be called on the event loop's thread ('" + loopThread + "')",
                        "not on '" + worker + "'", "loop.callSoonThreadsafe(");
            }
            assertFalse(f.done(), "a refused call changes nothing");
            assertFalse(sleeper.cancelled());

            // what the message recommends works
            Asyncio.toThread(() -> loop.callSoonThreadsafe(() -> f.setResult(42)));
            assertEquals(42, f.await());
            sleeper.cancel();
        });
    }

    // ---- --add-opens missing -----------------------------------------------------------------------------

    @Test
    void withoutAddOpensAsyncioRunFailsAtOnceNamingTheFlagAndWhereToPutIt() throws Exception {
        ForkedJvm.main(WithoutAddOpens.class).withoutAddOpens().run().assertExitedNormally();
    }

    /** The child JVM of the test above, started without {@code --add-opens java.base/java.lang=ALL-UNNAMED}. */
    public static final class WithoutAddOpens {
        public static void main(String[] args) {
            ForkedJvm.exitAfter(() -> {
                AtomicBoolean bodyRan = new AtomicBoolean();
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.run(() -> {
                    bodyRan.set(true);
                    return null;
                }));
                System.out.println("Asyncio.run() without --add-opens: " + e.getMessage());
                assertFalse(bodyRan.get(), "the body must not run");
                assertMentions(e, "--add-opens java.base/java.lang=ALL-UNNAMED", "java command line",
                        "JDK_JAVA_OPTIONS", "Add-Opens: java.base/java.lang", "manifest", "Surefire", "argLine");

                // the same, every time, through every entry point
                IllegalStateException again = assertThrows(IllegalStateException.class, () -> Asyncio.run(() -> null));
                assertEquals(e.getMessage(), again.getMessage());
                try (Runner runner = Runner.builder().virtualTime(true).build()) {
                    IllegalStateException viaRunner = assertThrows(IllegalStateException.class, runner::getLoop);
                    assertEquals(e.getMessage(), viaRunner.getMessage());
                }
            });
        }
    }

    @Test
    void onTheModulePathTheMessageNamesTheModuleToOpenJavaLangToAndThatFlagWorks() throws Exception {
        Path library = Path.of(Asyncio.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ForkedJvm.main(AsyncioOnTheModulePath.class).withoutAddOpens().modulePath("io.asyncio4j", library)
                .arg("withoutAddOpens").run().assertExitedNormally();
        ForkedJvm.main(AsyncioOnTheModulePath.class).withoutAddOpens().modulePath("io.asyncio4j", library)
                .jvmArg("--add-opens", "java.base/java.lang=io.asyncio4j")
                .arg("withAddOpens").run().assertExitedNormally();
    }
}
