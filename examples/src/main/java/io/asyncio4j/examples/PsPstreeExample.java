package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;

/**
 * Inspect a running program from outside: {@code asyncio4j ps PID} and {@code asyncio4j pstree PID}.
 *
 * <p>Tutorial: "CLI에서 실행 중인 프로세스 인트로스펙션" (Python 3.14's {@code python -m asyncio ps PID} and
 * {@code pstree PID} against {@code async with asyncio.TaskGroup() as tg} that started {@code worker-1} and
 * {@code worker-2}). The program prints its PID and runs until stopped (Ctrl-C); meanwhile, in another
 * terminal, {@code bin/asyncio4j pstree PID} prints (line numbers as in this file):
 * <pre>
 * └── (T) Task-1
 *     └──  PsPstreeExample.main PsPstreeExample.java:48
 *         └──  PsPstreeExample.main PsPstreeExample.java:45
 *             ├── (T) worker-1
 *             │   └──  PsPstreeExample.worker PsPstreeExample.java:36
 *             └── (T) worker-2
 *                 └──  PsPstreeExample.worker PsPstreeExample.java:36
 * </pre>
 * The lambda that is the group's body reads as the method it was written in ({@code main}), as in
 * {@code printCallGraph}. Unlike Python, which reads the process's memory and may need root, the JVM
 * answers itself: the command attaches as the same user, through the JDK's attach mechanism, and the
 * program needs no flag. docs/cli.md shows the {@code ps} table of the same run.
 */
public final class PsPstreeExample {
    private PsPstreeExample() {
    }

    static void worker() {
        while (true) {
            Asyncio.sleep(3600);
        }
    }

    static void main() {
        long pid = ProcessHandle.current().pid();
        System.out.println("PID " + pid + ". In another terminal:");
        System.out.println("  bin/asyncio4j ps " + pid);
        System.out.println("  bin/asyncio4j pstree " + pid);
        System.out.println("Ctrl-C stops it.");
        Asyncio.taskGroup(tg -> {
            tg.createTask(PsPstreeExample::worker, "worker-1");
            tg.createTask(PsPstreeExample::worker, "worker-2");
            return null;
        });
    }

    public static void main(String[] args) {
        Asyncio.run(() -> main());
    }
}
