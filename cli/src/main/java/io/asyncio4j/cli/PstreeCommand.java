package io.asyncio4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code asyncio4j pstree PID}: the tasks of a running JVM's event loops as trees of who awaits whom, in
 * the format of Python 3.14's {@code python -m asyncio pstree PID} (see {@link TaskTree}). An await cycle
 * prints Python's error and the cycles on stderr and exits 1; a blocked loop is reported as {@code ps}
 * reports it (exit 1). Failures are one line on stderr and exit code 1.
 */
@Command(
        name = "pstree",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        header = "Show the tasks of a running JVM's event loops as trees: who awaits whom, and where.",
        description = {
            "Attaches to the JVM with PID (same user; the JVM needs no flag) and prints one tree per task",
            "nobody awaits: under a task (T) the frames it awaits from, outermost first, then the tasks it",
            "awaits, as 'python -m asyncio pstree' does. 'asyncio4j ps' lists the JVMs to choose from."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  asyncio4j pstree 12345",
            "  asyncio4j ps 12345"
        })
public final class PstreeCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "The process id of a JVM running asyncio4j.")
    private long pid;

    @Override
    public Integer call() {
        PsCommand.checkPid(spec, pid);
        List<TaskSnapshot> loops = JvmTasks.snapshots(pid);
        PrintWriter out = spec.commandLine().getOut();
        try {
            for (List<String> tree : TaskTree.build(PsCommand.running(loops))) {
                out.println(String.join("\n", tree));
            }
        } catch (TaskTree.CycleFound cycles) {
            PrintWriter err = spec.commandLine().getErr();
            err.print(cycles.message());
            err.flush();
            return Main.FAILURE;
        } finally {
            out.flush();
        }
        return PsCommand.reportBlocked(spec, loops) ? Main.FAILURE : 0;
    }
}
