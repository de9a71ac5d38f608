package io.asyncio4j.cli;

import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The executable jar {@code target/asyncio4j.jar}, built by the package phase: run by a child JVM with
 * {@code java -jar} and no flags at all, as a user runs it. Runs after {@code package} (maven-failsafe-plugin).
 */
class ExecutableJarIT {
    private static final Path JAR = Path.of("target", "asyncio4j.jar");

    @Test
    void theManifestCarriesTheMainClassAndTheJvmOptionsTheKernelNeeds() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Manifest manifest = jar.getManifest();
            assertEquals("io.asyncio4j.cli.Main", manifest.getMainAttributes().getValue("Main-Class"));
            assertEquals("java.base/java.lang", manifest.getMainAttributes().getValue("Add-Opens"));
            assertEquals("ALL-UNNAMED", manifest.getMainAttributes().getValue("Enable-Native-Access"));
            assertTrue(jar.stream().noneMatch(e -> e.getName().endsWith("module-info.class")),
                    "no module descriptor on the class path");
        }
    }

    @Test
    void javaDashJarFetchesALoopbackUrlWithoutFlagsAndWithoutWarnings() throws Exception {
        try (TestServer server = TestServer.start(request -> Reply.ok("hello"))) {
            String url = server.url("/page");
            Run run = javaDashJar("fetch", "--progress", "never", url);
            assertEquals(0, run.exit(), run.stderr());
            assertTrue(run.stdout().contains("\"status\":200") && run.stdout().contains("\"bytes\":5"), run.stdout());
            assertFalse(run.stderr().contains("WARNING"), run.stderr());
            assertEquals(List.of("GET /page HTTP/1.1"), server.requestLines());
        }
    }

    @Test
    void javaDashJarPrintsTheVersion() throws Exception {
        Run run = javaDashJar("--version");
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stdout().contains(System.getProperty("project.version", "asyncio4j")), run.stdout());
        assertEquals("", run.stderr());
    }

    /**
     * What bin/asyncio4j does for crawl: the training crawl writes the start-up cache, and a JVM started with
     * the same options and {@code -jar} maps it (the JVM refuses, silently under the launcher's -Xlog, a cache
     * made with other module options or another jar).
     */
    @Test
    void theTrainingCrawlMakesAStartUpCacheThatJavaDashJarWithTheLaunchersOptionsUses(@TempDir Path dir)
            throws Exception {
        Path cache = dir.resolve("crawl.aot");
        List<String> options = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "--add-opens",
                "java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED");
        List<String> train = new ArrayList<>(options);
        train.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-cp", JAR.toString(), "io.asyncio4j.cli.CrawlTraining"));
        Run training = java(300, train);
        assertEquals(0, training.exit(), training.stdout() + training.stderr());
        assertTrue(Files.size(cache) > 1_000_000, "a cache of " + Files.size(cache) + " bytes");
        List<String> use = new ArrayList<>(options);
        use.addAll(List.of("-XX:AOTCache=" + cache, "-Xlog:aot=info", "-jar", JAR.toString(), "crawl", "--version"));
        Run run = java(60, use);
        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stdout().contains("Using AOT-linked classes: true"), run.stdout());
        assertFalse(run.stdout().contains("[error"), run.stdout());
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run javaDashJar(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("-jar", JAR.toString()));
        command.addAll(List.of(args));
        return java(60, command);
    }

    /** {@code java ARGS} in a child JVM, with stdin from /dev/null, ended within {@code seconds}. */
    private static Run java(int seconds, List<String> args) throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by `./mvnw -pl cli -am package`");
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("java " + String.join(" ", args) + " did not end within " + seconds + " s");
        }
        return new Run(p.exitValue(), out.get(), err.get());
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
