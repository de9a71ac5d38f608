package io.asyncio4j.http;

import io.asyncio4j.Runner;
import io.asyncio4j.TaskGroup;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-host limit at scale (issue 5: "hold under 10,000 concurrent requests"): thousands of GETs started
 * at once in one TaskGroup with {@code limit(200)} and {@code limitPerHost(100)}, against a keep-alive
 * loopback {@link TestServer} that counts, at the TCP level, the connections open at once and the requests in flight.
 *
 * <p>2,000 requests by default (about a second on a 2-core machine); run the 10,000 with
 * {@code -Dasyncio4j.http.limitScaleRequests=10000}:
 * {@code ./mvnw -B -ntp -q -pl http -am test -Dtest=LimitScaleTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dasyncio4j.http.limitScaleRequests=10000}.
 */
@RealTime
class LimitScaleTest {
    private static final int REQUESTS = Integer.getInteger("asyncio4j.http.limitScaleRequests", 2_000);

    @AsyncioTest
    void thousandsOfRequestsNeverHaveMoreThanLimitPerHostInFlightOrConnectionsOpenAtTheServer(Runner runner)
            throws IOException {
        try (TestServer server = TestServer.start(r -> {
                    Thread.sleep(1); // held at the server, so that requests overlap there
                    return Reply.ok("ok");
                });
                ClientSession session = ClientSession.builder().limit(200).limitPerHost(100).build()) {
            String url = server.url() + "/x";
            AtomicInteger ok = new AtomicInteger();
            runner.run(() -> TaskGroup.run(tg -> {
                for (int i = 0; i < REQUESTS; i++) {
                    tg.createTask(() -> {
                        if (session.get(url).text().equals("ok")) {
                            ok.incrementAndGet();
                        }
                    });
                }
                return null;
            }));
            assertEquals(REQUESTS, ok.get());
            assertEquals(REQUESTS, server.requestCount());
            assertTrue(server.maxInFlight() <= 100, "max in flight " + server.maxInFlight());
            assertTrue(server.maxOpenConnections() <= 100, "max connections " + server.maxOpenConnections());
            assertTrue(server.maxInFlight() > 1, "the requests ran concurrently: " + server.maxInFlight());
        }
    }
}
