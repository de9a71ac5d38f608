package io.asyncio4j.examples;

import io.asyncio4j.Asyncio;
import io.asyncio4j.EventLoop;
import io.asyncio4j.sync.RateLimiter;

import java.util.List;
import java.util.Locale;

/**
 * Exercise 3 of the tutorials, "Rate Limiter": at most 5 requests per second, however many tasks ask.
 *
 * <p>Tutorial: "연습 3: Rate Limiter — 초당 요청 수를 제한하는 비동기 함수를 작성하세요" (write an async
 * function that limits the requests per second). Ten tasks start together; {@code RateLimiter.perSecond(5)}
 * lets one through every 0.2 s, in the order they asked, so the last starts at 1.8 s. A {@code Semaphore}
 * limits how many run <em>at once</em>; a rate limiter limits how many <em>start per second</em>.
 * <pre>
 * request 0 sent at 0.0 s
 * request 1 sent at 0.2 s
 * ...
 * request 9 sent at 1.8 s
 * 10 requests in 1.8 s
 * </pre>
 */
public final class RateLimiterExample {

    /** Sends one request once the limiter lets it through; returns when it was sent, in seconds after {@code start}. */
    double request(RateLimiter limiter, int i, double start) {
        limiter.acquire(); // waits for a token; tokens come at 5 per second
        double sentAt = Asyncio.getRunningLoop().time() - start; // the loop clock counts from an arbitrary origin
        System.out.printf(Locale.ROOT, "request %d sent at %.1f s%n", i, sentAt);
        return sentAt;
    }

    List<Double> main() {
        EventLoop loop = Asyncio.getRunningLoop();
        double start = loop.time();
        RateLimiter limiter = RateLimiter.perSecond(5);
        List<Double> sent = Asyncio.gather(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), i -> request(limiter, i, start));
        System.out.printf(Locale.ROOT, "%d requests in %.1f s%n", sent.size(), loop.time() - start);
        return sent;
    }

    public static void main(String[] args) {
        Asyncio.run(() -> new RateLimiterExample().main());
    }
}
