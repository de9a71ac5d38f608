package io.asyncio4j.internal.graph;

import org.junit.jupiter.api.Test;

import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a frame reads: the class without its package and the method, a lambda as the method it was written in. */
class FramesTest {
    private static StackTraceElement frame(String cls, String method) {
        return new StackTraceElement(cls, method, "X.java", 1);
    }

    @Test
    void aMethodFrameIsItsSimpleClassAndMethod() {
        assertEquals("Worker.fetch", Frames.functionName(frame("com.example.Worker", "fetch")));
        assertEquals("Outer$Inner.run", Frames.functionName(frame("com.example.Outer$Inner", "run")));
        assertEquals("Top.main", Frames.functionName(frame("Top", "main")));
    }

    @Test
    void aLambdaFrameIsNamedAfterTheMethodItWasWrittenIn() {
        assertEquals("main", Frames.methodName("lambda$main$0"));
        assertEquals("main", Frames.methodName("lambda$main$12"));
        assertEquals("<init>", Frames.methodName("lambda$new$3"));
        assertEquals("<clinit>", Frames.methodName("lambda$static$0"));
        assertEquals("fetch", Frames.methodName("fetch"));
        assertEquals("Demo.main", Frames.functionName(frame("com.example.Demo", "lambda$main$0")));
    }

    @Test
    void aRealLambdaFrameReadsAsThisTestMethod() throws Exception {
        Callable<StackTraceElement> lambda = () -> new Throwable().getStackTrace()[0];
        StackTraceElement e = lambda.call();
        assertTrue(e.getMethodName().startsWith("lambda$"), e.getMethodName());
        assertEquals("FramesTest.aRealLambdaFrameReadsAsThisTestMethod", Frames.functionName(e));
    }

    @Test
    void jdkAndLibraryFramesAreNotTheUsersCode() {
        assertFalse(Frames.isUserFrame(new StackTraceElement("java.base", null, null, "java.lang.Thread", "sleep",
                "Thread.java", 1)));
        assertFalse(Frames.isUserFrame(frame("io.asyncio4j.Future", "await")));
        assertTrue(Frames.isUserFrame(frame(FramesTest.class.getName(), "x")), "tests in io.asyncio4j packages are user code");
        assertTrue(Frames.isUserFrame(frame("com.example.Worker", "fetch")));
    }
}
