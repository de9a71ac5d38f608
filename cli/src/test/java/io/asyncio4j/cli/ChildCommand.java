package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One command of this CLI run in child JVMs on the tests' class path, the way the kill tests run it: started
 * again and again with the same arguments, killed with SIGKILL at random moments or stopped by a signal, its
 * stdout discarded and its stderr kept in {@code err.txt} of the test's directory (each start overwrites it).
 * The children run with C1 only and the serial GC, so that they start twice as fast on a busy machine.
 */
final class ChildCommand {

    private final List<String> command = new ArrayList<>();
    private final Map<String, String> environment;
    private final Path errFile;
    // the exit code of the first run killAtRandomMoments found ended by itself before its kill (it finished the
    // work: a fast machine, a kill aimed late), or null
    private Integer endedBeforeItsKill;

    /** {@code asyncio4j args...} in a child JVM with {@code environment} added to this one's. */
    ChildCommand(Path dir, Map<String, String> environment, List<String> args) {
        String java = ProcessHandle.current().info().command().orElse(null);
        assumeTrue(java != null, "cannot tell the running java binary");
        command.addAll(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--add-opens",
                "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        this.environment = environment;
        this.errFile = dir.resolve("err.txt");
    }

    /** Starts one run. */
    Process start() throws IOException {
        ProcessBuilder b = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errFile.toFile());
        b.environment().putAll(environment);
        return b.start();
    }

    /** What the last run wrote to stderr. */
    String err() throws IOException {
        return Files.readString(errFile);
    }

    /**
     * Starts the command {@code kills} times and kills each run (SIGKILL: no hook, no flush) once
     * {@code output} holds a random number of new lines, up to a fair share of the {@code expected} lines
     * still missing, then a random 0-39 ms later: mid-run, often mid-write; a kill now and then lands at
     * start-up. A run that writes nothing new within {@code patience} is killed then. Returns the lines in
     * {@code output} after each kill.
     */
    List<Long> killAtRandomMoments(Path output, long expected, int kills, Random random, Duration patience)
            throws Exception {
        List<Long> linesAfterKill = new ArrayList<>();
        for (int k = 0; k < kills; k++) {
            Process p = start();
            long before = lines(output);
            long target = before + 1 + random.nextInt((int) Math.max(1, (expected - before) / (kills - k + 1)));
            int extraMillis = random.nextInt(40);
            awaitLines(p, output, target, patience);
            Thread.sleep(extraMillis);
            if (!p.isAlive() && endedBeforeItsKill == null) {
                endedBeforeItsKill = p.exitValue();
            }
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the killed JVM did not end");
            linesAfterKill.add(lines(output));
        }
        return linesAfterKill;
    }

    /**
     * The exit code of the first run of {@link #killAtRandomMoments} that ended by itself before its kill came
     * (it did all the work, so the runs after it found nothing left to do), or null when every run was killed.
     */
    Integer endedBeforeItsKill() {
        return endedBeforeItsKill;
    }

    /** Waits until {@code output} holds {@code n} lines, the run {@code p} ended, or {@code patience} passed. */
    static void awaitLines(Process p, Path output, long n, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (p.isAlive() && lines(output) < n && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
    }

    /** The newlines in {@code file} so far (0 before it exists). */
    static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long n = 0;
        for (byte b : Files.readAllBytes(file)) {
            n += b == '\n' ? 1 : 0;
        }
        return n;
    }
}
