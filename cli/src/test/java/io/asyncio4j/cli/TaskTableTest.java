package io.asyncio4j.cli;

import static io.asyncio4j.cli.TaskFixtures.loop;
import static io.asyncio4j.cli.TaskFixtures.stack;
import static io.asyncio4j.cli.TaskFixtures.task;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link TaskTable} against the cases of CPython's test_tools.py ({@code build_task_table}) and its display. */
class TaskTableTest {

    @Test
    void oneRowPerTaskAndAwaiterWithTheAwaitersStackAsChain() {
        String aexit = "_aexit -> __aexit__ -> main";
        String bloch = "_aexit -> __aexit__ -> blocho_caller -> bloch";
        String awaiter = "awaiter3 -> awaiter2 -> awaiter";
        String awaiterB = "awaiterB3 -> awaiterB2 -> awaiterB";
        assertEquals(List.of(
                List.of("1", "0x2", "Task-1", aexit, "", "", "0x0"),
                List.of("1", "0x3", "timer", "", awaiter, "child1_1", "0x4"),
                List.of("1", "0x3", "timer", "", awaiterB, "child2_2", "0x5"),
                List.of("1", "0x3", "timer", "", awaiterB, "child2_1", "0x6"),
                List.of("1", "0x3", "timer", "", awaiter, "child1_2", "0x7"),
                List.of("1", "0x8", "root1", bloch, aexit, "Task-1", "0x2"),
                List.of("1", "0x9", "root2", bloch, aexit, "Task-1", "0x2"),
                List.of("1", "0x4", "child1_1", awaiter, bloch, "root1", "0x8"),
                List.of("1", "0x6", "child2_1", awaiterB, bloch, "root1", "0x8"),
                List.of("1", "0x7", "child1_2", awaiter, bloch, "root2", "0x9"),
                List.of("1", "0x5", "child2_2", awaiterB, bloch, "root2", "0x9")),
                TaskTable.rows(TaskFixtures.timerInTwoGroups()));
    }

    @Test
    void eachLoopGivesItsThreadIdAndTasksNobodyAwaitsGetAwaiterId0x0() {
        assertEquals(List.of(
                List.of("1", "0x2", "Task-5", "", "", "", "0x0"),
                List.of("3", "0x4", "Task-1", "main", "", "", "0x0"),
                List.of("3", "0x5", "Task-2", "", "main", "Task-1", "0x4"),
                List.of("3", "0xa", "Task-3", "", "main", "Task-1", "0x4")),
                TaskTable.rows(List.of(loop(1, task(2, "Task-5", stack())),
                        loop(3, task(4, "Task-1", stack("main")), task(5, "Task-2", stack(), 4),
                                task(10, "Task-3", stack(), 4)))));
    }

    @Test
    void anAwaiterThatIsNotAmongTheTasksIsUnknown() {
        assertEquals(List.of(List.of("1", "0x1", "Task-A", "coro", "", "Unknown", "0x3e7")),
                TaskTable.rows(List.of(loop(1, task(1, "Task-A", stack("coro"), 999)))));
    }

    @Test
    void theTextTableAlignsColumnsAsPythonsFormatDoes() {
        String text = TaskTable.text(List.of(
                List.of("1", "0x2", "Task-1", "main", "", "", "0x0"),
                List.of("1", "0x3", "a-name-longer-than-twenty", "f", "main", "Task-1", "0x2")));
        assertEquals(""
                + "tid        task id              task name            coroutine stack                                    "
                + "awaiter chain                                      awaiter name    awaiter id     \n"
                + "-".repeat(180) + "\n"
                + "1          0x2                  Task-1               main                                               "
                + "                                                                   0x0            \n"
                + "1          0x3                  a-name-longer-than-twenty f                                                  "
                + "main                                               Task-1          0x2            \n", text);
    }

    @Test
    void theCsvIsPythonsCsvWriterWithCrlfAndMinimalQuoting() {
        assertEquals("tid,task id,task name,coroutine stack,awaiter chain,awaiter name,awaiter id\r\n"
                        + "1,0x2,Task-1,main,,,0x0\r\n"
                        + "1,0x3,\"a, \"\"quoted\"\" name\",f -> g,main,Task-1,0x2\r\n",
                TaskTable.csv(List.of(List.of("1", "0x2", "Task-1", "main", "", "", "0x0"),
                        List.of("1", "0x3", "a, \"quoted\" name", "f -> g", "main", "Task-1", "0x2"))));
    }

    @Test
    void idsAreWrittenAsPythonsHex() {
        assertEquals("0x0", TaskTable.hex(0));
        assertEquals("0xff", TaskTable.hex(255));
        assertEquals("-0x1", TaskTable.hex(-1));
    }
}
