package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Future;
import io.asyncio4j.Task;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code Asyncio.asCompleted}: take the results in the order the tasks finish.
 *
 * <p>Tutorial: "asyncio.as_completed()" in "5. 동시 실행" of "비동기 프로그래밍 (Async Programming)" (fetches of
 * 3, 1 and 2 s; "completion order: url2, url3, url1"). asyncio wraps the coroutines in tasks itself; here
 * they are created first and handed over, and each step of the loop waits for the next one to finish.
 * <pre>
 * url2 data        (after 1 s)
 * url3 data        (after 2 s)
 * url1 data        (after 3 s)
 * </pre>
 */
public final class AsCompletedExample {

    String fetch(String url, double delay) {
        Asyncio.sleep(delay);
        return url + " data";
    }

    List<String> main() {
        List<Task<String>> tasks = List.of(
                Asyncio.createTask(() -> fetch("url1", 3)),
                Asyncio.createTask(() -> fetch("url2", 1)),
                Asyncio.createTask(() -> fetch("url3", 2)));

        List<String> results = new ArrayList<>();
        for (Future<String> next : Asyncio.asCompleted(tasks, null)) {
            String result = next.await();
            System.out.println(result); // completion order: url2, url3, url1
            results.add(result);
        }
        return results;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new AsCompletedExample().main());
    }
}
