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
 * the example prints {@code Asyncio.formatCallGraph()}, the same text, to its own stream. Each node is a
 * task with its stack, innermost frame first, then the tasks awaiting it. {@code main} prints its own graph
 * while the workers have not run yet: its stack, and nobody awaits it. The worker's graph, printed with
 * {@link CallGraph#format} once the workers sleep, shows {@code main} under "Awaited by", waiting at the
 * end of the group, as the tutorial's {@code python -m asyncio pstree} shows it. Ids and line numbers vary.
 * <pre>
 * * Task(name='Task-1', id=0x76fb509a)
 *   + Call stack:
 *   |   File 'CallGraphExample.java', line 60, in CallGraphExample.lambda$main$0()
 *   |   File 'CallGraphExample.java', line 56, in CallGraphExample.main()
 *   |   File 'CallGraphExample.java', line 67, in CallGraphExample.lambda$main$2()
 * * Task(name='worker-1', id=0x31221be2)
 *   + Call stack:
 *   |   File 'CallGraphExample.java', line 45, in CallGraphExample.worker()
 *   + Awaited by:
 *     * Task(name='Task-1', id=0x76fb509a)
 *       + Call stack:
 *       |   File 'CallGraphExample.java', line 56, in CallGraphExample.main()
 *       |   File 'CallGraphExample.java', line 67, in CallGraphExample.lambda$main$2()
 * </pre>
 * and the program ends ten seconds later, when the workers are done.
 */
public final class CallGraphExample {

    Void worker() {
        Asyncio.sleep(10);
        return null;
    }

    Void graphOf(Task<?> task) {
        Asyncio.sleep(0); // let the workers start and reach their sleep
        System.out.println(CallGraph.format(task));
        return null;
    }

    void main() {
        Asyncio.taskGroup(tg -> {
            Task<Void> worker1 = tg.createTask(this::worker, "worker-1");
            tg.createTask(this::worker, "worker-2");
            // the current task's call graph, to stdout in asyncio (print_call_graph)
            System.out.println(Asyncio.formatCallGraph());
            tg.createTask(() -> graphOf(worker1), "reporter");
            return null;
        });
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new CallGraphExample().main());
    }
}
