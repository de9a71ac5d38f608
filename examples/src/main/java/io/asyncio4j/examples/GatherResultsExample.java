package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;

import java.util.List;

/**
 * {@code Asyncio.gather} returns the results in the order the coroutines were given, not the order they end.
 *
 * <p>Tutorials: "asyncio.gather()" in "5. 동시 실행" of "비동기 프로그래밍 (Async Programming)"
 * ({@code fetch("url1", 1)}, {@code fetch("url2", 2)}, {@code fetch("url3", 1)}: url2 ends last, yet its
 * result stays in the middle), and "asyncio.gather - 병렬 실행" of "asyncio 기초" (three one-second
 * {@code fetch_user} calls take one second, not three).
 * <pre>
 * [url1 data, url2 data, url3 data]      (after 2 s)
 * [User 1, User 2, User 3]               (after 1 more s)
 * </pre>
 */
public final class GatherResultsExample {

    String fetch(String url, double delay) {
        Asyncio.sleep(delay);
        return url + " data";
    }

    String fetchUser(int userId) {
        Asyncio.sleep(1); // simulates an API call
        return "User " + userId;
    }

    List<String> main() {
        List<String> pages = Asyncio.gather(
                () -> fetch("url1", 1),
                () -> fetch("url2", 2),
                () -> fetch("url3", 1));
        System.out.println(pages); // [url1 data, url2 data, url3 data]

        // three at once: one second in all (not three)
        List<String> users = Asyncio.gather(
                () -> fetchUser(1),
                () -> fetchUser(2),
                () -> fetchUser(3));
        System.out.println(users); // [User 1, User 2, User 3]
        return users;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new GatherResultsExample().main());
    }
}
