package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Smoke test of {@link CallGraphExample} (seed 003, print_call_graph) on virtual time. */
@ExtendWith(Console.class)
class CallGraphExampleTest {
    @Test
    void printsTheMainTaskAwaitedByNobodyAndEachWorkerAwaitedByIt(Console console) {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> new CallGraphExample().main());
            assertEquals(10.0, runner.getLoop().time(), 1e-9);
        }
        List<String> lines = console.lines();
        // main at the top is the task under "Awaited by"
        assertEquals(lines.get(0).strip(), lines.stream().filter(l -> l.startsWith("    * Task(")).findFirst()
                .orElseThrow().strip());
        // ids and line numbers change; frames of this test's own code (the caller) are left out
        List<String> shape = lines.stream()
                .filter(l -> !l.contains("File '") || l.contains("File 'CallGraphExample.java'"))
                .map(l -> l.replaceAll("id=0x[0-9a-f]+", "id=?").replaceAll("line \\d+", "line ?"))
                .toList();
        assertEquals(List.of(
                "* Task(name='Task-1', id=?)",
                "  + Call stack:",
                "  |   File 'CallGraphExample.java', line ?, in CallGraphExample.main()",
                "  |   File 'CallGraphExample.java', line ?, in CallGraphExample.main()",
                "* Task(name='worker-1', id=?)",
                "  + Call stack:",
                "  |   File 'CallGraphExample.java', line ?, in CallGraphExample.worker()",
                "  + Awaited by:",
                "    * Task(name='Task-1', id=?)",
                "      + Call stack:",
                "      |   File 'CallGraphExample.java', line ?, in CallGraphExample.main()",
                "* Task(name='worker-2', id=?)",
                "  + Call stack:",
                "  |   File 'CallGraphExample.java', line ?, in CallGraphExample.worker()",
                "  + Awaited by:",
                "    * Task(name='Task-1', id=?)",
                "      + Call stack:",
                "      |   File 'CallGraphExample.java', line ?, in CallGraphExample.main()"), shape);
        // "Awaited by" never under Task-1's own graph: nobody awaits main (the tutorial drew the edge backwards)
        assertEquals(-1, lines.subList(0, lines.indexOf(lines.stream().filter(l -> l.startsWith("* Task(name='worker-1'"))
                .findFirst().orElseThrow())).indexOf("  + Awaited by:"));
    }
}
