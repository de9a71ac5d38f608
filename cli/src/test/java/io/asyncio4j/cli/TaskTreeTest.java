package io.asyncio4j.cli;

import static io.asyncio4j.cli.TaskFixtures.loop;
import static io.asyncio4j.cli.TaskFixtures.stack;
import static io.asyncio4j.cli.TaskFixtures.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link TaskTree} against the cases of CPython's test_tools.py ({@code build_async_tree}). */
class TaskTreeTest {

    @Test
    void framesOfOneAwaiterAreSharedAndLeafTasksShowTheirOwnStack() throws Exception {
        // Python's expected tree, except that a task's frames are under it once (in Python's input child1_1
        // awaits timer from frames that are not its own stack; here they are its stack, so they are shared)
        assertEquals(List.of(List.of(
                "└── (T) Task-1",
                "    └──  main",
                "        └──  __aexit__",
                "            └──  _aexit",
                "                ├── (T) root1",
                "                │   └──  bloch",
                "                │       └──  blocho_caller",
                "                │           └──  __aexit__",
                "                │               └──  _aexit",
                "                │                   ├── (T) child1_1",
                "                │                   │   └──  awaiter /path/to/app.py:110",
                "                │                   │       └──  awaiter2 /path/to/app.py:120",
                "                │                   │           └──  awaiter3 /path/to/app.py:130",
                "                │                   │               └── (T) timer",
                "                │                   └── (T) child2_1",
                "                │                       └──  awaiterB /path/to/app.py:170",
                "                │                           └──  awaiterB2 /path/to/app.py:180",
                "                │                               └──  awaiterB3 /path/to/app.py:190",
                "                │                                   └── (T) timer",
                "                └── (T) root2",
                "                    └──  bloch",
                "                        └──  blocho_caller",
                "                            └──  __aexit__",
                "                                └──  _aexit",
                "                                    ├── (T) child1_2",
                "                                    │   └──  awaiter /path/to/app.py:110",
                "                                    │       └──  awaiter2 /path/to/app.py:120",
                "                                    │           └──  awaiter3 /path/to/app.py:130",
                "                                    │               └── (T) timer",
                "                                    └── (T) child2_2",
                "                                        └──  awaiterB /path/to/app.py:170",
                "                                            └──  awaiterB2 /path/to/app.py:180",
                "                                                └──  awaiterB3 /path/to/app.py:190",
                "                                                    └── (T) timer")),
                TaskTree.build(TaskFixtures.timerInTwoGroups()));
    }

    @Test
    void twoLoopsGiveOneTreePerRootInLoopOrder() throws Exception {
        assertEquals(List.of(
                List.of("└── (T) Task-5", "    └──  main2", "        ├── (T) Task-6", "        ├── (T) Task-7",
                        "        └── (T) Task-8"),
                List.of("└── (T) Task-1", "    └──  main", "        ├── (T) Task-2", "        ├── (T) Task-3",
                        "        └── (T) Task-4")),
                TaskTree.build(List.of(
                        loop(9, task(5, "Task-5", stack("main2")), task(6, "Task-6", stack(), 5),
                                task(7, "Task-7", stack(), 5), task(8, "Task-8", stack(), 5)),
                        loop(10, task(1, "Task-1", stack("main")), task(2, "Task-2", stack(), 1),
                                task(3, "Task-3", stack(), 1), task(4, "Task-4", stack(), 1)),
                        loop(11))));
    }

    @Test
    void aRootWithoutSubtasksIsATreeOfOneLine() throws Exception {
        assertEquals(List.of(List.of("└── (T) Task-5"),
                List.of("└── (T) Task-1", "    └──  main", "        ├── (T) Task-2", "        ├── (T) Task-3",
                        "        └── (T) Task-4")),
                TaskTree.build(List.of(loop(1, task(2, "Task-5", stack())),
                        loop(3, task(4, "Task-1", stack("main")), task(5, "Task-2", stack(), 4),
                                task(6, "Task-3", stack(), 4), task(7, "Task-4", stack(), 4)))));
    }

    @Test
    void aDeepChainOfFramesNestsOneLevelPerFrame() throws Exception {
        assertEquals(List.of(List.of("└── (T) root", "    └──  c5", "        └──  c4", "            └──  c3",
                "                └──  c2", "                    └──  c1", "                        └── (T) leaf")),
                TaskTree.build(List.of(loop(1, task(10, "leaf", stack(), 11),
                        task(11, "root", stack("c1", "c2", "c3", "c4", "c5"))))));
    }

    @Test
    void aChainOfTasksNestsTaskUnderTask() throws Exception {
        assertEquals(List.of(List.of("└── (T) Task-1", "    └──  main", "        └── (T) Task-2", "            └──  main",
                "                └── (T) Task-3")),
                TaskTree.build(List.of(loop(1, task(2, "Task-1", stack("main")), task(3, "Task-2", stack("main"), 2),
                        task(4, "Task-3", stack(), 3)))));
    }

    @Test
    void noTasksGiveNoTrees() throws Exception {
        assertEquals(List.of(), TaskTree.build(List.of()));
        assertEquals(List.of(List.of("└── (T) taskA"), List.of("└── (T) taskB")),
                TaskTree.build(List.of(loop(1, task(10, "taskA", stack()), task(11, "taskB", stack())))));
    }

    @Test
    void twoTasksAwaitingEachOtherAreACycleNamedAsPythonNamesIt() {
        TaskTree.CycleFound e = assertThrows(TaskTree.CycleFound.class, () -> TaskTree.build(List.of(loop(1,
                task(2, "Task-1", stack("main")), task(3, "a", stack("awaiter"), 4, 2), task(4, "b", stack("awaiter2"), 3)))));
        assertEquals("ERROR: await-graph contains cycles - cannot print a tree!\n\ncycle: b → a → b\n", e.message());
    }

    @Test
    void twoCyclesThroughOneTaskAreBothListed() {
        TaskTree.CycleFound e = assertThrows(TaskTree.CycleFound.class, () -> TaskTree.build(List.of(loop(1,
                task(2, "Task-1", stack()),
                task(3, "A", stack("nested", "nested", "task_a"), 4),
                task(4, "B", stack("nested", "nested", "task_b"), 5, 3),
                task(5, "C", stack("nested", "nested", "task_c"), 6),
                task(6, "Task-2", stack("nested", "nested"), 4)))));
        // Python's cycles [[4, 3, 4], [4, 6, 5, 4]] by name
        assertEquals("ERROR: await-graph contains cycles - cannot print a tree!\n\ncycle: B → A → B\n"
                + "cycle: B → Task-2 → C → B\n", e.message());
    }

    @Test
    void aTaskAwaitingItselfIsACycleOfOne() {
        TaskTree.CycleFound e = assertThrows(TaskTree.CycleFound.class, () -> TaskTree.build(List.of(loop(1,
                task(1, "Self-Awaiter", stack("loopback"), 1)))));
        assertEquals("ERROR: await-graph contains cycles - cannot print a tree!\n\ncycle: Self-Awaiter → Self-Awaiter\n",
                e.message());
    }
}
