package io.asyncio4j.internal.graph;

import java.security.CodeSource;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a stack frame reads to a person: which frames are the user's own code, and the name of the function a
 * frame is in. Shared by the call graph ({@code CallGraph.format}, {@code Asyncio.printCallGraph}) and the
 * task snapshots that {@code asyncio4j ps} and {@code pstree} print, so both name a frame the same way.
 *
 * <p>The name of a frame is its class without the package, then a dot, then the method, as Python's
 * {@code __qualname__} is: {@code Worker.fetch}. A lambda frame is named after the method it was written
 * in: javac compiles {@code () -> work()} in {@code main} to a method {@code lambda$main$0}, which reads as
 * {@code main}; a lambda written in a constructor ({@code lambda$new$0}) reads as {@code <init>}, one in a
 * static initialiser ({@code lambda$static$0}) as {@code <clinit>}, the names the JVM gives those methods.
 */
public final class Frames {
    /*
     * Implementation overview. Library frames are recognised by class: in a named module by the module
     * name; on the class path by the class's code source being this library's (so that a user's class in a
     * package named io.asyncio4j, such as this library's own tests, still counts as user code).
     */
    private static final String MODULE = Frames.class.getModule().getName();
    // class name -> whether it is one of this library's classes; grows to at most the library's classes
    private static final Map<String, Boolean> LIBRARY_CLASSES = new ConcurrentHashMap<>();

    private Frames() {
    }

    /** The function a frame is in, as a reader names it: {@code Worker.fetch}, {@code Main.main} for a lambda. */
    public static String functionName(StackTraceElement frame) {
        String cls = frame.getClassName();
        return cls.substring(cls.lastIndexOf('.') + 1) + "." + methodName(frame.getMethodName());
    }

    /**
     * The method a frame's code was written in: the method itself, or for a lambda body
     * ({@code lambda$main$0}, also {@code lambda$main$0$1} for one nested in another) the enclosing method.
     */
    public static String methodName(String method) {
        if (!method.startsWith("lambda$")) {
            return method;
        }
        int end = method.indexOf('$', 7);
        String enclosing = end < 0 ? method.substring(7) : method.substring(7, end);
        return switch (enclosing) {
            case "new" -> "<init>";
            case "static" -> "<clinit>";
            case "" -> method;
            default -> enclosing;
        };
    }

    /** Whether a frame is the user's code: neither this library's nor the JDK's. */
    public static boolean isUserFrame(StackTraceElement frame) {
        return !isLibraryFrame(frame) && !isJdkFrame(frame);
    }

    /** Whether a frame belongs to the JDK: a class of a {@code java.*} or {@code jdk.*} module. */
    public static boolean isJdkFrame(StackTraceElement frame) {
        String module = frame.getModuleName();
        if (module != null) {
            return module.startsWith("java.") || module.startsWith("jdk.");
        }
        String c = frame.getClassName();
        return c.startsWith("java.") || c.startsWith("javax.") || c.startsWith("jdk.") || c.startsWith("sun.");
    }

    /** Whether a frame belongs to this library (any package of it), not to the user's code. */
    public static boolean isLibraryFrame(StackTraceElement frame) {
        if (MODULE != null) {
            return MODULE.equals(frame.getModuleName());
        }
        String c = frame.getClassName();
        if (!c.startsWith("io.asyncio4j.")) {
            return false;
        }
        return LIBRARY_CLASSES.computeIfAbsent(c, Frames::isLibraryClass);
    }

    private static boolean isLibraryClass(String name) {
        try {
            Class<?> c = Class.forName(name, false, Frames.class.getClassLoader());
            CodeSource ours = Frames.class.getProtectionDomain().getCodeSource();
            CodeSource theirs = c.getProtectionDomain().getCodeSource();
            return ours != null && theirs != null && Objects.equals(ours.getLocation(), theirs.getLocation());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
