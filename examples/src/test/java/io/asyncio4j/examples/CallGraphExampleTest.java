package io.asyncio4j.examples;

import io.asyncio4j.Runner;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CallGraphExampleTest {
    private static final Pattern ID = Pattern.compile("id=(0x[0-9a-f]+)");

    @Test
    void mainPrintsItsStackAndTheWorkerIsAwaitedByMain() {
        Console console = new Console();
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            runner.run(() -> new CallGraphExample(console.out).main());

            assertEquals(10.0, runner.getLoop().time(), 1e-9); // the group waited for the workers
        }
        List<String> lines = console.lines();
        // the same task id for main at the top and under "Awaited by"
        assertEquals(idIn(lines.get(0)), idIn(lines.get(9)));

        String test = "CallGraphExampleTest.lambda$mainPrintsItsStackAndTheWorkerIsAwaitedByMain$0()";
        assertEquals(List.of(
                "* Task(name='Task-1', id=…)",
                "  + Call stack:",
                "  |   File 'CallGraphExample.java', line N, in CallGraphExample.lambda$main$0()",
                "  |   File 'CallGraphExample.java', line N, in CallGraphExample.main()",
                "  |   File 'CallGraphExampleTest.java', line N, in " + test,
                "* Task(name='worker-1', id=…)",
                "  + Call stack:",
                "  |   File 'CallGraphExample.java', line N, in CallGraphExample.worker()",
                "  + Awaited by:",
                "    * Task(name='Task-1', id=…)",
                "      + Call stack:",
                "      |   File 'CallGraphExample.java', line N, in CallGraphExample.main()",
                "      |   File 'CallGraphExampleTest.java', line N, in " + test),
                lines.stream().map(CallGraphExampleTest::withoutIdsAndLineNumbers).toList());
    }

    private static String idIn(String line) {
        Matcher m = ID.matcher(line);
        return m.find() ? m.group(1) : "no id in: " + line;
    }

    private static String withoutIdsAndLineNumbers(String line) {
        return ID.matcher(line).replaceAll("id=…").replaceAll("line \\d+", "line N");
    }
}
