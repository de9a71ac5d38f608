package io.asyncio4j.graph;

import io.asyncio4j.internal.graph.Frames;

import java.util.Objects;

/**
 * One frame of a task's call stack in a {@link FutureCallGraph} (asyncio's
 * {@code asyncio.FrameCallGraphEntry}).
 *
 * <p>asyncio keeps a live frame object; a Java stack frame cannot outlive the walk that found it, so this
 * holds the frame's {@link StackTraceElement}: class, method, file and line. It is a plain method frame:
 * Java has no coroutine frames, so there is no "async" tag as in asyncio's output.
 *
 * @param frame the frame, never null
 */
public record FrameCallGraphEntry(StackTraceElement frame) {
    public FrameCallGraphEntry {
        Objects.requireNonNull(frame, "frame");
    }

    /**
     * The frame as {@link CallGraph#format} prints it, like asyncio:
     * {@code File 'Worker.java', line 12, in Worker.fetch()}. The class is named without its package;
     * an unknown file or line prints as {@code <unknown>}.
     */
    public String describe() {
        String file = frame.getFileName() != null ? frame.getFileName() : "<unknown>";
        String line = frame.getLineNumber() >= 0 ? Integer.toString(frame.getLineNumber()) : "<unknown>";
        return "File " + CallGraph.quote(file) + ", line " + line + ", in " + Frames.functionName(frame) + "()";
    }
}
