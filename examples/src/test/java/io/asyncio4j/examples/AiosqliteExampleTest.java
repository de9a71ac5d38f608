package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import io.asyncio4j.sqlite.Row;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AiosqliteExampleTest {
    @Test
    void theUsersTableIsReadBackRowByRow() {
        Console console = new Console();
        List<Row> rows;
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            rows = runner.run(() -> new AiosqliteExample(console.out).main());
        }
        assertEquals(List.of("Ada", "Grace"), rows.stream().map(r -> r.getString("name")).toList());
        assertEquals(List.of("Row{id=1, name=Ada}", "Row{id=2, name=Grace}"), console.lines());
    }
}
