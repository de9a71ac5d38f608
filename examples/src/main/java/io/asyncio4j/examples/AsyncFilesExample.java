package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.files.AsyncFile;
import io.asyncio4j.files.AsyncFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * aiofiles-style file I/O: write a file and read it back without blocking the loop.
 *
 * <p>Tutorial: "비동기 파일 I/O (aiofiles)" of "비동기 프로그래밍 (Async Programming)"
 * ({@code write_file("test.txt", "Hello, Async!")} and {@code read_file}, each with
 * {@code async with aiofiles.open(path, mode) as f}). {@code aiofiles.open} is {@code AsyncFiles.open}, closed by
 * try-with-resources; the file work runs on the files module's thread pool while the task waits.
 * {@code test.txt} is written in a temporary directory that the example deletes at the end.
 * <pre>
 * Hello, Async!
 * </pre>
 */
public final class AsyncFilesExample {

    String readFile(Path path) {
        try (AsyncFile f = AsyncFiles.open(path)) { // mode 'r'
            return new String(f.read((int) f.size()), StandardCharsets.UTF_8); // f.read(): the whole file
        }
    }

    void writeFile(Path path, String content) {
        try (AsyncFile f = AsyncFiles.open(path,
                StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            f.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    String main() throws IOException {
        Path dir = Files.createTempDirectory("asyncio4j-example");
        Path path = dir.resolve("test.txt");
        try {
            writeFile(path, "Hello, Async!");
            String content = readFile(path);
            System.out.println(content);
            return content;
        } finally {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new AsyncFilesExample().main());
    }
}
