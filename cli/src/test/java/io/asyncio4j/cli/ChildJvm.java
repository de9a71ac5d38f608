package io.asyncio4j.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@link PsScenarios} on the tests' class path, for {@code ps}/{@code pstree} to
 * inspect: {@link #start} waits for its {@code ready} line; {@link #close} kills it. Its stdin stays open
 * and empty (the {@code blocked} scenario reads it).
 */
final class ChildJvm implements AutoCloseable {
    private static final long READY_TIMEOUT_SECONDS = 60;

    final Process process;
    /** The words after {@code ready}: the ids of the loops' threads. */
    final List<String> readyWords;

    private ChildJvm(Process process, List<String> readyWords) {
        this.process = process;
        this.readyWords = readyWords;
    }

    long pid() {
        return process.pid();
    }

    /** Starts {@code PsScenarios scenario} with {@code jvmOptions} and waits until it prints {@code ready}. */
    static ChildJvm start(String scenario, String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-opens");
        cmd.add("java.base/java.lang=ALL-UNNAMED");
        cmd.addAll(List.of(jvmOptions));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(PsScenarios.class.getName());
        cmd.add(scenario);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<List<String>> ready = CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("ready")) {
                        drain(out);
                        List<String> words = new ArrayList<>(List.of(line.split(" ")));
                        words.removeFirst();
                        return words;
                    }
                    seen.append(line).append('\n');
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("the child ended before it was ready:\n" + seen);
        });
        try {
            return new ChildJvm(p, ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Keeps reading the child's output so that it never blocks on a full pipe. */
    private static void drain(BufferedReader out) {
        Thread.ofPlatform().daemon(true).start(() -> {
            try {
                while (out.readLine() != null) {
                    // the watchdog's warning in the blocked scenario, "consumed 1", ...
                }
            } catch (IOException e) {
                // the child was killed
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
