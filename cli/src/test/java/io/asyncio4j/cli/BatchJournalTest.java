package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link BatchJournal#open} keeps of an existing result file: the complete lines up to the first one that
 * is not a single JSON object with a string {@code custom_id}; from there on the file is cut off.
 */
class BatchJournalTest {

    @TempDir
    Path dir;

    private Set<String> keptOf(String content, String expectedContentAfter) throws Exception {
        Path file = Files.writeString(dir.resolve("out.jsonl"), content, StandardCharsets.UTF_8);
        try (BatchJournal journal = BatchJournal.open(file)) {
            assertEquals(expectedContentAfter, Files.readString(file, StandardCharsets.UTF_8));
            assertEquals(content.length() - expectedContentAfter.length(), journal.cutBytes());
            return journal.done();
        }
    }

    @Test
    void completeLinesAreDoneAndAnIncompleteLastLineIsCutOff() throws Exception {
        String good = "{\"id\":\"batch_req_1\",\"custom_id\":\"a\",\"response\":{\"body\":{\"custom_id\":\"x\"}}}\n"
                + "{\"custom_id\":\"b\",\"error\":null}\n";
        assertEquals(Set.of("a", "b"), keptOf(good + "{\"custom_id\":\"c\",\"resp", good));
    }

    @Test
    void everythingFromTheFirstLineThatIsNotOneResultIsCutOff() throws Exception {
        String good = "{\"custom_id\":\"a\"}\n";
        String after = "{\"custom_id\":\"d\"}\n";
        for (String bad : new String[] {"{\"custom_id\":\"b\"} {\"custom_id\":\"c\"}\n", "{\"custom_id\":\"b\"} x\n",
                "{\"response\":{\"custom_id\":\"b\"}}\n", "{\"custom_id\":7}\n", "[\"custom_id\"]\n", "\n",
                "garbage\n", "{\"custom_id\":\"b\",}\n"}) {
            assertEquals(Set.of("a"), keptOf(good + bad + after, good), bad);
        }
    }
}
