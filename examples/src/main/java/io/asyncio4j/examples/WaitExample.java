package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Done;
import io.asyncio4j.Future;
import io.asyncio4j.ReturnWhen;
import io.asyncio4j.Task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Asyncio.wait}: wait for the first of several tasks, or up to a timeout, and see which are done.
 *
 * <p>Tutorials: "asyncio.wait()" in "5. 동시 실행" of "비동기 프로그래밍 (Async Programming)" (three fetches of
 * 2, 1 and 3 s, {@code return_when=FIRST_COMPLETED}, then cancel the pending ones), and "asyncio.wait -
 * 세밀한 제어" of "asyncio 기초" (five one-second {@code fetch_user} tasks, {@code FIRST_COMPLETED}, then
 * {@code timeout=2.0}). {@code wait} returns a {@link Done}: the {@code done, pending} pair. It takes no
 * results and raises nothing: a failure stays in its task, and a timeout just returns what is pending.
 * The five user fetches all end at the same moment, so the first wait already finds every one done.
 * <pre>
 * Done: 1, pending: 2          (after 1 s)
 * First: url2 data
 * Done: 5, pending: 0          (after 1 s more)
 * Done: 5, pending: 0          (at once)
 * </pre>
 */
public final class WaitExample {

    String fetch(String url, double delay) {
        Asyncio.sleep(delay);
        return url + " data";
    }

    String fetchUser(int userId) {
        Asyncio.sleep(1); // simulates an API call
        return "User " + userId;
    }

    Done<String> main() {
        List<Task<String>> tasks = List.of(
                Asyncio.createTask(() -> fetch("url1", 2)),
                Asyncio.createTask(() -> fetch("url2", 1)),
                Asyncio.createTask(() -> fetch("url3", 3)));

        // return as soon as the first one is done
        Done<String> first = Asyncio.wait(tasks, ReturnWhen.FIRST_COMPLETED, null);
        System.out.println("Done: " + first.done().size() + ", pending: " + first.pending().size());
        for (Future<String> f : first.done()) {
            System.out.println("First: " + f.result());
        }
        // cancel the rest
        for (Future<String> task : first.pending()) {
            task.cancel();
        }

        // "asyncio 기초": five user fetches
        List<Task<String>> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int userId = i;
            users.add(Asyncio.createTask(() -> fetchUser(userId)));
        }
        Done<String> done = Asyncio.wait(users, ReturnWhen.FIRST_COMPLETED, null);
        System.out.println("Done: " + done.done().size() + ", pending: " + done.pending().size());

        // or with a timeout
        done = Asyncio.wait(users, ReturnWhen.ALL_COMPLETED, Duration.ofSeconds(2));
        System.out.println("Done: " + done.done().size() + ", pending: " + done.pending().size());
        return first;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new WaitExample().main());
    }
}
