package io.asyncio4j.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Counts this JVM's open file descriptors on a file (Linux's /proc/self/fd; tests using it are skipped elsewhere). */
final class OpenDescriptors {
    private OpenDescriptors() {
    }

    static long on(Path file) throws IOException {
        Path fds = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        Path real = file.toRealPath();
        try (Stream<Path> s = Files.list(fds)) {
            return s.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // closed meanwhile (e.g. the descriptor of this listing)
                }
            }).count();
        }
    }
}
