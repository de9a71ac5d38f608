package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import io.asyncio4j.sqlite.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Smoke test of {@link AiosqliteExample} (sqlite3 → aiosqlite) on a real SQLite file. */
@ExtendWith(Console.class)
class AiosqliteExampleTest {
    @Test
    void theUsersTableIsReadBackRowByRow(Console console) {
        List<Row> rows;
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            rows = runner.run(() -> new AiosqliteExample().main());
        }
        assertEquals(List.of("Ada", "Grace"), rows.stream().map(r -> r.getString("name")).toList());
        assertEquals(List.of("Row{id=1, name=Ada}", "Row{id=2, name=Grace}"), console.lines());
    }
}
