package io.asyncio4j.examples;

import io.asyncio4j.AsyncGenerator;
import io.asyncio4j.Asyncio;
import io.asyncio4j.files.AsyncFiles;
import io.asyncio4j.sync.Semaphore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Exercise 2 of the tutorials, "Concurrent file processing": count several files at once, two at a time.
 *
 * <p>Each file is read and processed on its own task; the results are added up at the end.
 *
 * <p>Tutorial: "연습 2: 동시 파일 처리 — 여러 파일을 동시에 읽고 처리하는 함수를 작성하세요" (write a
 * function that reads and processes several files at once) of "비동기 프로그래밍 (Async Programming)".
 * The example writes five small text files into a temporary directory (concurrently, with
 * {@code AsyncFiles.writeString}), then counts the lines and words of each with {@code AsyncFiles.lines}
 * under a {@code Semaphore(2)}, and deletes the directory at the end. {@code gather} returns the counts in
 * file order, whatever order the reads finish in.
 * <pre>
 * file-1.txt: 1 lines, 3 words
 * file-2.txt: 2 lines, 6 words
 * file-3.txt: 3 lines, 9 words
 * file-4.txt: 4 lines, 12 words
 * file-5.txt: 5 lines, 15 words
 * total: 5 files, 15 lines, 45 words
 * </pre>
 */
public final class FileProcessingExample {

    /** The result of processing one file. */
    record Counts(String file, int lines, int words) {
    }

    /** Reads {@code path} line by line (at most as many files open at once as {@code sem} allows). */
    Counts process(Semaphore sem, Path path) {
        try (var held = sem.hold()) {
            int lines = 0;
            int words = 0;
            try (AsyncGenerator<String> file = AsyncFiles.lines(path)) { // async for line in f
                for (String line : file) {
                    lines++;
                    words += line.isBlank() ? 0 : line.trim().split("\\s+").length;
                }
            }
            return new Counts(path.getFileName().toString(), lines, words);
        }
    }

    /** Processes every file, at most {@code maxConcurrent} at once; the counts in the order of {@code paths}. */
    List<Counts> processFiles(List<Path> paths, int maxConcurrent) {
        Semaphore sem = new Semaphore(maxConcurrent);
        return Asyncio.gather(paths, path -> process(sem, path));
    }

    List<Counts> main() throws IOException {
        Path dir = Files.createTempDirectory("asyncio4j-example");
        try {
            // file-N.txt: N lines of three words, written concurrently
            List<Path> paths = Asyncio.gather(List.of(1, 2, 3, 4, 5), n -> {
                Path path = dir.resolve("file-" + n + ".txt");
                StringBuilder text = new StringBuilder();
                for (int k = 1; k <= n; k++) {
                    text.append("line ").append(k).append(" here\n");
                }
                AsyncFiles.writeString(path, text);
                return path;
            });

            List<Counts> counts = processFiles(paths, 2);
            int lines = 0;
            int words = 0;
            for (Counts c : counts) {
                System.out.println(c.file() + ": " + c.lines() + " lines, " + c.words() + " words");
                lines += c.lines();
                words += c.words();
            }
            System.out.println("total: " + counts.size() + " files, " + lines + " lines, " + words + " words");
            return counts;
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new FileProcessingExample().main());
    }
}
