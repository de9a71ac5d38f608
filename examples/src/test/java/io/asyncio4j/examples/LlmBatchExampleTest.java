package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@ExtendWith(Console.class)
class LlmBatchExampleTest {
    @Test
    void everyPromptGetsItsAnswerInPromptOrder(Console console) {
        try (Runner runner = Runner.builder().build()) {
            runner.run(() -> new LlmBatchExample(null).main());
        }
        assertEquals(List.of(
                "[200] Question 1 -> echo: Question 1",
                "[200] Question 2 -> echo: Question 2",
                "[200] Question 3 -> echo: Question 3"), console.lines());
    }

    @Test
    void aCallThatFailsBecomesAResultWithStatusZero(Console console) {
        List<LlmBatchExample.LlmResult> results;
        try (Runner runner = Runner.builder().build()) {
            results = runner.run(() -> new LlmBatchExample(null)
                    .batchLlmCalls(List.of("Question 1", "Question 2"), 5, "ftp://example.invalid/v1", "sk-xxx"));
        }
        assertEquals(2, results.size());
        for (LlmBatchExample.LlmResult r : results) {
            assertEquals(0, r.status());
            assertEquals(null, r.response());
        }
        assertEquals("Question 2", results.get(1).prompt());
    }
}
