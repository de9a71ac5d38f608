package io.asyncio4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code asyncio4j ps PID}: the tasks of a running JVM's event loops as a flat table, in the format of
 * Python 3.14's {@code python -m asyncio ps PID} (see {@link TaskTable}); {@code --format csv} as Python's
 * CSV, {@code --format json} the whole snapshot with files and lines. Without a PID it lists the local
 * JVMs that run asyncio4j loops, as {@code jps} lists JVMs.
 *
 * <p>The JVM is read through the JDK's attach mechanism and JMX ({@link JvmTasks}); it needs no flag. A loop
 * that does not take its turn within a second is blocked: the command prints the table of the other loops,
 * then on stderr which task or callback holds the blocked one, with its stack (as the watchdog does), and
 * exits 1. Every failure (no such process, not a JVM, a JVM without asyncio4j loops, attach refused) is
 * one line on stderr and exit code 1.
 */
@Command(
        name = "ps",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        header = "List the tasks of a running JVM's event loops: who awaits whom (Python's asyncio ps).",
        description = {
            "Attaches to the JVM with PID (same user; the JVM needs no flag) and prints one row per task and",
            "awaiter: tid (the loop's thread), task id (unique in the JVM), task name, coroutine stack",
            "(innermost first), awaiter chain, awaiter name and awaiter id, as 'python -m asyncio ps' does.",
            "Without PID: the local JVMs that run asyncio4j event loops, with their loops and tasks."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  asyncio4j ps",
            "  asyncio4j ps 12345",
            "  asyncio4j ps 12345 --format csv",
            "  asyncio4j ps 12345 --format json",
            "  asyncio4j pstree 12345"
        })
public final class PsCommand implements Callable<Integer> {
    /** The formats of {@code --format}. */
    enum Format { table, csv, json }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PID", description = "The process id of a JVM running asyncio4j.")
    private Long pid;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "table (default, as Python's), csv (as Python's) or json (the whole snapshot, with files and lines).")
    private Format format = Format.table;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (pid == null) {
            return listJvms(out);
        }
        checkPid(spec, pid);
        List<TaskSnapshot> loops = JvmTasks.snapshots(pid);
        List<TaskSnapshot> running = running(loops);
        switch (format) {
            case table -> out.print(TaskTable.text(TaskTable.rows(running)));
            case csv -> out.print(TaskTable.csv(TaskTable.rows(running)));
            case json -> out.println(json(pid, loops));
        }
        out.flush();
        return reportBlocked(spec, loops) ? Main.FAILURE : 0;
    }

    private int listJvms(PrintWriter out) {
        List<JvmTasks.Summary> jvms = JvmTasks.list();
        out.printf("%-10s %-50s %6s %8s%n", "pid", "main class", "loops", "tasks");
        for (JvmTasks.Summary s : jvms) {
            out.printf("%-10d %-50s %6d %8d%n", s.pid(), s.mainClass(), s.loops(), s.tasks());
        }
        out.flush();
        if (jvms.isEmpty()) {
            spec.commandLine().getErr().println("asyncio4j ps: no local JVM of this user runs asyncio4j event loops");
            spec.commandLine().getErr().flush();
        }
        return 0;
    }

    /** A PID must be positive: a usage error otherwise. */
    static void checkPid(CommandLine.Model.CommandSpec spec, long pid) {
        if (pid <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "PID must be a positive process id, got '" + pid + "'");
        }
    }

    /** The loops that answered with their tasks (not the blocked or stopped ones). */
    static List<TaskSnapshot> running(List<TaskSnapshot> loops) {
        return loops.stream().filter(l -> l.state().equals("running")).toList();
    }

    /**
     * Prints, for every blocked loop, what holds it and its stack to stderr (first line
     * {@code asyncio4j ps: EventLoop-1 (thread 'main') is blocked: ...}); whether there was one.
     */
    static boolean reportBlocked(CommandLine.Model.CommandSpec spec, List<TaskSnapshot> loops) {
        PrintWriter err = spec.commandLine().getErr();
        boolean any = false;
        for (TaskSnapshot l : loops) {
            TaskSnapshot.Blocked b = l.blocked();
            if (b == null) {
                continue;
            }
            any = true;
            String who = b.taskName() != null
                    ? "task '" + b.taskName() + "' (" + TaskTable.hex(b.taskId()) + ")"
                    : "callback " + b.callback();
            String held = b.heldAtLeastMillis() >= 0
                    ? " has held it for at least " + String.format("%.3f s", b.heldAtLeastMillis() / 1000.0) + " without waiting"
                    : " holds it now (other entries ran while the snapshot waited: the loop is very busy)";
            err.println(spec.qualifiedName() + ": " + l.loop() + " (thread '" + l.threadName() + "') is blocked: " + who
                    + held + "; its tasks cannot be listed until it waits again. A call the JDK cannot unmount (file I/O, "
                    + "JNI, a busy loop) blocks the loop; move it to Asyncio.toThread(...). Stack:");
            for (TaskSnapshot.Frame f : b.stack()) {
                err.println("\tat " + f.asJavaFrame());
            }
        }
        err.flush();
        return any;
    }

    private static String json(long pid, List<TaskSnapshot> loops) {
        JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        ObjectNode root = mapper.createObjectNode();
        root.put("pid", pid);
        ArrayNode array = root.putArray("loops");
        loops.forEach(l -> array.add(l.json()));
        return mapper.writeValueAsString(root);
    }
}
