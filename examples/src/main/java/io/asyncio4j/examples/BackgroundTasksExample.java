package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;

import java.util.HashSet;
import java.util.Set;

/**
 * Fire and forget: start tasks, keep them in a set, and let each remove itself when it is done.
 *
 * <p>Tutorial: the fire-and-forget pattern of "asyncio.Task" ({@code background_tasks.add(task)},
 * {@code task.add_done_callback(background_tasks.discard)}). In asyncio the set is what keeps a running
 * task from being garbage collected. asyncio4j's loop holds every live task strongly, so nothing vanishes
 * without the set; it is still the way to know which background work is in flight.
 * {@code Asyncio.allTasks()} lists every live task of the loop, {@code main} included.
 * <pre>
 * Background tasks: 3, live tasks: 4
 * Job 1 done
 * Job 2 done
 * Job 3 done
 * Background tasks: 0, live tasks: 1
 * </pre>
 */
public final class BackgroundTasksExample {
    private final Set<Task<?>> backgroundTasks = new HashSet<>();

    void someCoro(int n) {
        Asyncio.sleep(n * 0.5);
        System.out.println("Job " + n + " done");
    }

    int main() {
        for (int n = 1; n <= 3; n++) {
            int job = n;
            Task<Void> task = Asyncio.createTask(() -> someCoro(job));
            backgroundTasks.add(task);
            task.addDoneCallback(backgroundTasks::remove); // removes itself when done
        }
        System.out.println("Background tasks: " + backgroundTasks.size() + ", live tasks: " + Asyncio.allTasks().size());

        Asyncio.sleep(2); // main goes on with other work; the jobs finish meanwhile

        System.out.println("Background tasks: " + backgroundTasks.size() + ", live tasks: " + Asyncio.allTasks().size());
        return backgroundTasks.size();
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new BackgroundTasksExample().main());
    }
}
