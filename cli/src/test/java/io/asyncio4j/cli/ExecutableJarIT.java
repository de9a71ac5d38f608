package io.asyncio4j.cli;

import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;
import org.junit.jupiter.api.Test;

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

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run javaDashJar(String... args) throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is built by `./mvnw -pl cli -am package`");
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("java -jar " + String.join(" ", args) + " did not end within 60 s");
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
