package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;
import io.asyncio4j.graph.CallGraph;


/**
 * Who is waiting for whom: print the call graph of the running task, and of a task in a task group.
 *
 * <p>Tutorial: "Call Graph Introspection (Python 3.14+)" of "asyncio (Asynchronous I/O) 비동기 프로그래밍"
 * ({@code asyncio.print_call_graph()} inside {@code async with asyncio.TaskGroup() as tg} that started
 * {@code worker-1} and {@code worker-2}). {@code Asyncio.printCallGraph()} prints to {@code System.out};
 * the example prints {@code Asyncio.formatCallGraph()}, the same text, with {@code System.out.println}. Each node is a
 * task with its stack, innermost frame first, then the tasks awaiting it; a lambda's frame is named after
 * the method it was written in ({@code main}).
 *
 * <p>The tutorial shows the workers under "Awaited by" of {@code Task-1}. That has the edge backwards:
 * "Awaited by" lists who waits for the task printed, and in a task group the parent waits for its children,
 * not the other way round, so Python 3.14 prints no "Awaited by" under {@code main}'s own graph either
 * ({@code capture_call_graph} follows {@code _asyncio_awaited_by}, which {@code TaskGroup.create_task} fills
 * on the child). The relation the tutorial meant shows from the workers' side: each worker's graph, printed
 * with {@link CallGraph#format} once the workers sleep, has {@code Task-1} under "Awaited by", waiting at the
 * end of the group, as the tutorial's {@code python -m asyncio pstree} shows it. Ids and line numbers vary.
 * <pre>
 * * Task(name='Task-1', id=0x76fb509a)
 *   + Call stack:
 *   |   File 'CallGraphExample.java', line 76, in CallGraphExample.main()
 *   |   File 'CallGraphExample.java', line 72, in CallGraphExample.main()
 *   |   File 'CallGraphExample.java', line 83, in CallGraphExample.main()
 * * Task(name='worker-1', id=0x31221be2)
 *   + Call stack:
 *   |   File 'CallGraphExample.java', line 59, in CallGraphExample.worker()
 *   + Awaited by:
 *     * Task(name='Task-1', id=0x76fb509a)
 *       + Call stack:
 *       |   File 'CallGraphExample.java', line 72, in CallGraphExample.main()
 *       |   File 'CallGraphExample.java', line 83, in CallGraphExample.main()
 * * Task(name='worker-2', id=0x6d06d69c)
 *   + Call stack:
 *   |   File 'CallGraphExample.java', line 59, in CallGraphExample.worker()
 *   + Awaited by:
 *     * Task(name='Task-1', id=0x76fb509a)
 *       + Call stack:
 *       |   File 'CallGraphExample.java', line 72, in CallGraphExample.main()
 *       |   File 'CallGraphExample.java', line 83, in CallGraphExample.main()
 * </pre>
 * and the program ends ten seconds later, when the workers are done.
 */
public final class CallGraphExample {

    Void worker() {
        Asyncio.sleep(10);
        return null;
    }

    Void graphOf(Task<?>... tasks) {
        Asyncio.sleep(0); // let the workers start and reach their sleep
        for (Task<?> task : tasks) {
            System.out.println(CallGraph.format(task));
        }
        return null;
    }

    void main() {
        Asyncio.taskGroup(tg -> {
            Task<Void> worker1 = tg.createTask(this::worker, "worker-1");
            Task<Void> worker2 = tg.createTask(this::worker, "worker-2");
            // the current task's call graph, to stdout in asyncio (print_call_graph)
            System.out.println(Asyncio.formatCallGraph());
            tg.createTask(() -> graphOf(worker1, worker2), "reporter");
            return null;
        });
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new CallGraphExample().main());
    }
}
