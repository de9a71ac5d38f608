package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code asyncio4j ps} and {@code pstree} against real child JVMs ({@link PsScenarios}): the exact table
 * and tree of a known structure, derived by hand from the rules of Python's {@code Lib/asyncio/tools.py};
 * an await cycle; 10,000 tasks; a blocked loop; two loops; the JVM list; every error.
 */
class PsCommandTest {
    private static final Path SCENARIOS = Path.of("src/test/java/io/asyncio4j/cli/PsScenarios.java");
    private static final String DASHES = "-".repeat(180);

    /** The result of one command run in this JVM. */
    record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** The line of PsScenarios.java that ends with the marker {@code // L:name}. */
    static int line(String name) throws IOException {
        List<String> lines = Files.readAllLines(SCENARIOS);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith("// L:" + name)) {
                return i + 1;
            }
        }
        throw new AssertionError("no marker L:" + name + " in " + SCENARIOS);
    }

    /** A row as Python prints it: {@code f"{tid:<10} {id:<20} {name:<20} {stack:<50} {chain:<50} {an:<15} {aid:<15}"}. */
    static String row(String tid, String id, String name, String stack, String chain, String awaiterName, String awaiterId) {
        return String.format("%-10s %-20s %-20s %-50s %-50s %-15s %-15s", tid, id, name, stack, chain, awaiterName, awaiterId);
    }

    static String header() {
        return row("tid", "task id", "task name", "coroutine stack", "awaiter chain", "awaiter name", "awaiter id");
    }

    /** Task name -> task id in hex, from {@code ps --format json}. */
    static Map<String, String> ids(long pid) {
        Result r = run("ps", Long.toString(pid), "--format", "json");
        assertEquals(0, r.exit(), r.err());
        Map<String, String> ids = new HashMap<>();
        JsonNode root = JsonMapper.builder().build().readTree(r.out());
        for (JsonNode loop : root.path("loops")) {
            for (JsonNode t : loop.path("tasks")) {
                ids.put(t.path("name").asString(), "0x" + Long.toHexString(t.path("id").asLong()));
            }
        }
        return ids;
    }

    // one child with the known structure for the tests that only read it (a child JVM takes seconds to start)
    private static ChildJvm structure;

    @BeforeAll
    static void startTheStructure() throws Exception {
        structure = ChildJvm.start("structure");
    }

    @AfterAll
    static void stopTheStructure() throws Exception {
        structure.close();
    }

    @Test
    void psAndPstreePrintTheKnownStructureExactlyAsPythonWould() throws Exception {
        ChildJvm child = structure;
        String pid = Long.toString(child.pid());
        String tid = child.readyWords.getFirst();
        Map<String, String> id = ids(child.pid());

        Result ps = run("ps", pid);
        assertEquals("", ps.err());
        assertEquals(0, ps.exit());
        String structure = "PsScenarios.structure";
        assertEquals(List.of(
                header(),
                DASHES,
                row(tid, id.get("Task-1"), "Task-1", structure, "", "", "0x0"),
                row(tid, id.get("worker-1"), "worker-1", "PsScenarios.worker", structure, "Task-1", id.get("Task-1")),
                row(tid, id.get("worker-2"), "worker-2", "PsScenarios.worker", structure, "Task-1", id.get("Task-1")),
                row(tid, id.get("gatherer"), "gatherer", "PsScenarios.gathering", structure, "Task-1", id.get("Task-1")),
                row(tid, id.get("outer"), "outer", "PsScenarios.outer", structure, "Task-1", id.get("Task-1")),
                row(tid, id.get("shielder"), "shielder", "PsScenarios.shielding", structure, "Task-1", id.get("Task-1")),
                row(tid, id.get("consumer"), "consumer", "PsScenarios.consuming", structure, "Task-1", id.get("Task-1")),
                row(tid, id.get("Task-2"), "Task-2", "PsScenarios.sleeper", "PsScenarios.gathering", "gatherer",
                        id.get("gatherer")),
                row(tid, id.get("Task-3"), "Task-3", "PsScenarios.sleeper", "PsScenarios.gathering", "gatherer",
                        id.get("gatherer")),
                row(tid, id.get("inner"), "inner", "PsScenarios.inner", "PsScenarios.outer", "outer", id.get("outer")),
                row(tid, id.get("shielded"), "shielded", "PsScenarios.worker", "PsScenarios.shielding", "shielder",
                        id.get("shielder")),
                row(tid, id.get("AsyncGenerator-1"), "AsyncGenerator-1", "PsScenarios.produce", "PsScenarios.consuming",
                        "consumer", id.get("consumer"))), ps.lines());

        Result tree = run("pstree", pid);
        assertEquals("", tree.err());
        assertEquals(0, tree.exit());
        String f = " PsScenarios.java:";
        assertEquals(List.of(
                "└── (T) Task-1",
                "    └──  PsScenarios.structure" + f + line("group"),
                "        ├── (T) worker-1",
                "        │   └──  PsScenarios.worker" + f + line("worker"),
                "        ├── (T) worker-2",
                "        │   └──  PsScenarios.worker" + f + line("worker"),
                "        ├── (T) gatherer",
                "        │   └──  PsScenarios.gathering" + f + line("gather"),
                "        │       ├── (T) Task-2",
                "        │       │   └──  PsScenarios.sleeper" + f + line("sleeper"),
                "        │       └── (T) Task-3",
                "        │           └──  PsScenarios.sleeper" + f + line("sleeper"),
                "        ├── (T) outer",
                "        │   └──  PsScenarios.outer" + f + line("outer"),
                "        │       └── (T) inner",
                "        │           └──  PsScenarios.inner" + f + line("inner"),
                "        ├── (T) shielder",
                "        │   └──  PsScenarios.shielding" + f + line("shield"),
                "        │       └── (T) shielded",
                "        │           └──  PsScenarios.worker" + f + line("worker"),
                "        └── (T) consumer",
                "            └──  PsScenarios.consuming" + f + line("consume"),
                "                └── (T) AsyncGenerator-1",
                "                    └──  PsScenarios.produce" + f + line("produce")), tree.lines());
    }

    @Test
    void psFormatsCsvAsPythonsCsvWriterAndJsonWithFilesAndLines() throws Exception {
        ChildJvm child = structure;
        String pid = Long.toString(child.pid());
        Map<String, String> id = ids(child.pid());
        Result csv = run("ps", pid, "--format", "csv");
        assertEquals(0, csv.exit(), csv.err());
        String tid = child.readyWords.getFirst();
        assertTrue(csv.out().startsWith("tid,task id,task name,coroutine stack,awaiter chain,awaiter name,awaiter id\r\n"
                + tid + "," + id.get("Task-1") + ",Task-1,PsScenarios.structure,,,0x0\r\n"
                + tid + "," + id.get("worker-1") + ",worker-1,PsScenarios.worker,PsScenarios.structure,Task-1,"
                + id.get("Task-1") + "\r\n"), csv.out());
        assertEquals(13, csv.out().split("\r\n").length);

        Result json = run("ps", pid, "--format", "json");
        JsonNode loop = JsonMapper.builder().build().readTree(json.out()).path("loops").get(0);
        assertEquals("running", loop.path("state").asString());
        assertTrue(loop.path("consistent").asBoolean());
        JsonNode worker = null;
        for (JsonNode t : loop.path("tasks")) {
            if (t.path("name").asString().equals("worker-1")) {
                worker = t;
            }
        }
        assertEquals("pending", worker.path("state").asString());
        JsonNode frame = worker.path("stack").get(0);
        assertEquals("PsScenarios.java", frame.path("file").asString());
        assertEquals(line("worker"), frame.path("line").asInt());
        assertEquals("io.asyncio4j.cli.PsScenarios", frame.path("class").asString());
    }

    @Test
    void pstreeReportsAnAwaitCycleAsPythonDoesWhilePsStillPrintsTheTable() throws Exception {
        try (ChildJvm child = ChildJvm.start("cycle")) {
            String pid = Long.toString(child.pid());
            Result tree = run("pstree", pid);
            assertEquals(1, tree.exit());
            assertEquals("", tree.out());
            assertEquals("ERROR: await-graph contains cycles - cannot print a tree!\n\ncycle: a → b → a\n", tree.err());

            Result ps = run("ps", pid);
            assertEquals(0, ps.exit(), ps.err());
            Map<String, String> id = ids(child.pid());
            String tid = child.readyWords.getFirst();
            assertEquals(List.of(header(), DASHES,
                    row(tid, id.get("Task-1"), "Task-1", "PsScenarios.cycle", "", "", "0x0"),
                    row(tid, id.get("a"), "a", "PsScenarios.awaitB", "PsScenarios.cycle", "Task-1", id.get("Task-1")),
                    row(tid, id.get("a"), "a", "PsScenarios.awaitB", "PsScenarios.awaitA", "b", id.get("b")),
                    row(tid, id.get("b"), "b", "PsScenarios.awaitA", "PsScenarios.awaitB", "a", id.get("a"))), ps.lines());
        }
    }

    @Test
    void psAndPstreeListTenThousandTasks() throws Exception {
        try (ChildJvm child = ChildJvm.start("many")) {
            String pid = Long.toString(child.pid());
            long t0 = System.nanoTime();
            Result ps = run("ps", pid);
            long psNanos = System.nanoTime() - t0;
            assertEquals(0, ps.exit(), ps.err());
            List<String> lines = ps.lines();
            assertEquals(2 + 10_001, lines.size());
            assertEquals(10_000, lines.stream().filter(l -> l.contains(" PsScenarios.worker ")).count());

            t0 = System.nanoTime();
            Result tree = run("pstree", pid);
            long treeNanos = System.nanoTime() - t0;
            assertEquals(0, tree.exit(), tree.err());
            // Task-1, its frame, then per task: the task and its frame
            assertEquals(2 + 2 * 10_000, tree.lines().size());
            assertEquals("    └──  PsScenarios.many PsScenarios.java:" + line("many"), tree.lines().get(1));

            JsonNode loop = JsonMapper.builder().build().readTree(run("ps", pid, "--format", "json").out())
                    .path("loops").get(0);
            // not asserted (speed is measured in benchmarks); printed for the record
            System.out.printf("10,000 tasks, in this JVM (attach included): ps %.0f ms, pstree %.0f ms; the snapshot "
                    + "held the loop at most %.1f ms at a time, in %d parts%n", psNanos / 1e6, treeNanos / 1e6,
                    loop.path("maxHoldMicros").asLong() / 1e3, loop.path("parts").asInt());
        }
    }

    @Test
    void aBlockedLoopIsReportedWithTheBlockingTasksStack() throws Exception {
        try (ChildJvm child = ChildJvm.start("blocked")) {
            Result ps = run("ps", Long.toString(child.pid()));
            assertEquals(1, ps.exit());
            assertEquals(List.of(header(), DASHES), ps.lines());
            List<String> err = ps.err().lines().toList();
            assertTrue(err.getFirst().startsWith("asyncio4j ps: EventLoop-1 (thread 'main') is blocked: task 'hog' (0x"),
                    err.getFirst());
            assertTrue(err.getFirst().contains(" has held it for at least "), err.getFirst());
            assertTrue(err.contains("\tat io.asyncio4j.cli.PsScenarios.hog(PsScenarios.java:" + line("hog") + ")"),
                    ps.err());
        }
    }

    @Test
    void twoLoopsAreListedEachWithItsThread() throws Exception {
        try (ChildJvm child = ChildJvm.start("twoLoops")) {
            String pid = Long.toString(child.pid());
            Result ps = run("ps", pid);
            assertEquals(0, ps.exit(), ps.err());
            String tidA = child.readyWords.get(0);
            String tidB = child.readyWords.get(1);
            List<String> lines = ps.lines();
            assertEquals(6, lines.size(), ps.out());
            List<String> shape = new ArrayList<>();
            for (String l : lines.subList(2, 6)) {
                String[] cells = l.split(" +");
                shape.add(cells[0] + " " + cells[2] + " " + cells[3]);
            }
            assertEquals(List.of(tidA + " Task-1 PsScenarios.twoLoops", tidA + " a-worker PsScenarios.worker",
                    tidB + " Task-1 PsScenarios.twoLoops", tidB + " b-worker PsScenarios.worker"), shape);
            Result tree = run("pstree", pid);
            assertEquals(List.of("└── (T) Task-1", "    └──  PsScenarios.twoLoops PsScenarios.java:" + line("loop-a"),
                    "└── (T) a-worker", "    └──  PsScenarios.worker PsScenarios.java:" + line("worker"),
                    "└── (T) Task-1", "    └──  PsScenarios.twoLoops PsScenarios.java:" + line("loop-b"),
                    "└── (T) b-worker", "    └──  PsScenarios.worker PsScenarios.java:" + line("worker")), tree.lines());
        }
    }

    @Test
    void psWithoutPidListsTheLocalJvmsRunningLoops() throws Exception {
        ChildJvm child = structure;
        Result ps = run("ps");
        assertEquals(0, ps.exit(), ps.err());
        assertEquals(String.format("%-10s %-50s %6s %8s", "pid", "main class", "loops", "tasks"), ps.lines().getFirst());
        assertTrue(ps.lines().contains(String.format("%-10d %-50s %6d %8d", child.pid(),
                "io.asyncio4j.cli.PsScenarios", 1, 12)), ps.out());
    }

    // ---- errors: one line, exit 1

    @Test
    void aPidWithoutProcessIsOneLineAndExit1() {
        Result r = run("ps", "2147483647");
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals("asyncio4j ps: no process with PID 2147483647; 'asyncio4j ps' lists the local JVMs running asyncio4j\n",
                r.err());
    }

    @Test
    void aProcessThatIsNotAJvmIsNamedAndLeftAlone() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "600").start();
        try {
            Result r = run("pstree", Long.toString(sleep.pid()));
            assertEquals(1, r.exit());
            assertTrue(r.err().matches("asyncio4j pstree: PID \\d+ \\(\\S*sleep\\) is not a Java virtual machine; "
                    + "'asyncio4j ps' lists the local JVMs running asyncio4j\n"), r.err());
            assertTrue(sleep.isAlive(), "the attach mechanism's signal would have ended it");
        } finally {
            sleep.destroyForcibly().waitFor();
        }
    }

    @Test
    void aJvmWithoutLoopsSuggestsTheJdksThreadDump() throws Exception {
        try (ChildJvm child = ChildJvm.start("noLoops")) {
            Result r = run("ps", Long.toString(child.pid()));
            assertEquals(1, r.exit());
            assertEquals("asyncio4j ps: PID " + child.pid() + " is a JVM (io.asyncio4j.cli.PsScenarios) without running "
                    + "asyncio4j event loops (or with introspection off); to see its virtual threads: jcmd "
                    + child.pid() + " Thread.dump_to_file -format=json threads.json\n", r.err());
        }
    }

    @Test
    void aLoopWithIntrospectionOffRegistersNothing() throws Exception {
        try (ChildJvm child = ChildJvm.start("introspectionOff")) {
            Result r = run("ps", Long.toString(child.pid()));
            assertEquals(1, r.exit());
            assertTrue(r.err().contains(" without running asyncio4j event loops (or with introspection off)"), r.err());
        }
    }

    @Test
    void aJvmThatRefusesAttachingSaysWhichFlagToDrop() throws Exception {
        try (ChildJvm child = ChildJvm.start("noLoops", "-XX:+DisableAttachMechanism")) {
            Result r = run("ps", Long.toString(child.pid()));
            assertEquals(1, r.exit());
            assertEquals("asyncio4j ps: PID " + child.pid() + " is a JVM that does not accept attaching (started with "
                    + "-XX:+DisableAttachMechanism); restart it without that flag to inspect its tasks\n", r.err());
        }
    }

    @Test
    void aPidThatIsNotPositiveIsAUsageError() {
        Result r = run("ps", "0");
        assertEquals(2, r.exit());
        assertEquals("asyncio4j ps: PID must be a positive process id, got '0' (see 'asyncio4j ps --help')\n", r.err());
        Result missing = run("pstree");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().startsWith("asyncio4j pstree: Missing required parameter: 'PID'"), missing.err());
    }
}
