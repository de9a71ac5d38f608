package io.asyncio4j;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a {@code main} class of the test sources in a fresh JVM: for behaviour that depends on what a JVM
 * did first (the JDK's socket pollers, the name resolver, JVM flags, environment variables).
 *
 * <pre>{@code
 * ForkedJvm.main(Scenarios.class).env("ASYNCIO4J_DEBUG", "1").arg("debugIsOn").run().assertExitedNormally();
 *
 * public static final class Scenarios {             // the child: a main class of the test sources
 *     public static void main(String[] args) { ForkedJvm.runScenario(Scenarios.class, args); }
 *     static void debugIsOn() { assertTrue(new Runner().getLoop().getDebug()); }
 * }
 * }</pre>
 * The child runs the same {@code java} as the tests, on the tests' class path, with
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} unless {@link #withoutAddOpens()}, and without the
 * launcher variables of the parent ({@code JDK_JAVA_OPTIONS}, {@code JAVA_TOOL_OPTIONS}) and without
 * {@code ASYNCIO4J_DEBUG}, so that it sees only what the test gives it. A child still running after
 * {@link #TIMEOUT_SECONDS} is killed and the test fails: a regression that hangs fails instead of hanging.
 */
public final class ForkedJvm {
    public static final long TIMEOUT_SECONDS = 60;

    private final Class<?> mainClass;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private boolean addOpens = true;

    private ForkedJvm(Class<?> mainClass) {
        this.mainClass = mainClass;
    }

    /** A child JVM that runs {@code mainClass.main(args)}. */
    public static ForkedJvm main(Class<?> mainClass) {
        return new ForkedJvm(mainClass);
    }

    /** Adds program arguments. */
    public ForkedJvm arg(String... values) {
        args.addAll(List.of(values));
        return this;
    }

    /** Adds options of the {@code java} command (before the main class). */
    public ForkedJvm jvmArg(String... options) {
        jvmArgs.addAll(List.of(options));
        return this;
    }

    /**
     * Puts {@code entries} on the child's module path and resolves {@code module}, e.g. this library's
     * classes as the named module {@code io.asyncio4j}. Classes of a package of that module are then
     * loaded from the module only, also those of the tests: the main class must live in another package.
     */
    public ForkedJvm modulePath(String module, Path... entries) {
        jvmArgs.add("--module-path");
        jvmArgs.add(String.join(File.pathSeparator, Arrays.stream(entries).map(Path::toString).toList()));
        jvmArgs.add("--add-modules");
        jvmArgs.add(module);
        return this;
    }

    /** Adds {@code -Dname=value}. */
    public ForkedJvm systemProperty(String name, String value) {
        jvmArgs.add("-D" + name + "=" + value);
        return this;
    }

    /** Sets an environment variable of the child. */
    public ForkedJvm env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs the child without {@code --add-opens java.base/java.lang=ALL-UNNAMED}. */
    public ForkedJvm withoutAddOpens() {
        addOpens = false;
        return this;
    }

    /** Runs the child to its end (at most {@link #TIMEOUT_SECONDS}) and returns its exit code and output. */
    public Result run() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xshare:auto");
        if (addOpens) {
            command.add("--add-opens");
            command.add("java.base/java.lang=ALL-UNNAMED");
        }
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(args);

        Path output = Files.createTempFile("asyncio4j-forked-", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            Map<String, String> childEnv = pb.environment();
            childEnv.remove("JDK_JAVA_OPTIONS");
            childEnv.remove("JAVA_TOOL_OPTIONS");
            childEnv.remove("_JAVA_OPTIONS");
            childEnv.remove("ASYNCIO4J_DEBUG");
            childEnv.putAll(env);
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("forked JVM " + mainClass.getName() + " " + args + " did not end within " + TIMEOUT_SECONDS
                        + " s and was killed; its output:\n" + read(output));
            }
            return new Result(p.exitValue(), read(output), String.join(" ", command));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static String read(Path output) throws IOException {
        return Files.readString(output, Charset.defaultCharset());
    }

    /** The body of a child's {@code main}. */
    @FunctionalInterface
    public interface ChildBody {
        void run() throws Exception;
    }

    /**
     * For a child's {@code main}: runs {@code body} and exits the JVM with 0, or prints the failure and
     * exits with 1 (also when threads it started are still alive).
     */
    public static void exitAfter(ChildBody body) {
        int code = 0;
        try {
            body.run();
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }

    /**
     * For a child's {@code main} that holds several scenarios: runs the static no-argument method of
     * {@code scenarios} named by {@code args[0]} as {@link #exitAfter} does.
     */
    public static void runScenario(Class<?> scenarios, String[] args) {
        exitAfter(() -> {
            Method m = scenarios.getDeclaredMethod(args[0]);
            m.setAccessible(true);
            try {
                m.invoke(null);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof Exception ex) {
                    throw ex;
                }
                throw (Error) e.getCause();
            }
        });
    }

    /** What a child did: its exit code and everything it printed (stdout and stderr, interleaved). */
    public record Result(int exitCode, String output, String command) {
        /** Fails unless the child exited with 0; the failure shows the child's output. */
        public Result assertExitedNormally() {
            if (exitCode != 0) {
                fail("forked JVM exited with " + exitCode + "; its output:\n" + output + "\ncommand: " + command);
            }
            return this;
        }
    }
}
