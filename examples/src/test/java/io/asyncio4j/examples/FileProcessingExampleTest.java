package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class FileProcessingExampleTest {
    @Test
    void everyFileIsCountedAndTheTotalsAddUp(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> new FileProcessingExample().main());
        }
        assertEquals(List.of(
                "file-1.txt: 1 lines, 3 words",
                "file-2.txt: 2 lines, 6 words",
                "file-3.txt: 3 lines, 9 words",
                "file-4.txt: 4 lines, 12 words",
                "file-5.txt: 5 lines, 15 words",
                "total: 5 files, 15 lines, 45 words"), console.lines());
    }
}
