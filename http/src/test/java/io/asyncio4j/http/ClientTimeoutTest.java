package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.TimeoutError;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.Reply;

import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session's time limits ({@link ClientTimeout}) and its slots, on virtual time through the in-memory
 * transport ({@link MemoryTransport}): a reply's delay and a stall wait on the loop clock, so each test
 * asserts the exact loop time at which a limit ended a request, and the machine's load cannot change it.
 */
class ClientTimeoutTest {
    private static final String URL = "http://test.example/";
    private static final double EXACT = 1e-9;

    /** A 100-byte answer of which 10 bytes arrive, then nothing. */
    private static Reply stallMidBody() {
        return Reply.raw("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + "x".repeat(10)).stallAfter(Long.MAX_VALUE);
    }

    private static double now() {
        return Asyncio.getRunningLoop().time();
    }

    @AsyncioTest
    void theTotalTimeoutEndsARequestWhoseBodyStallsExactlyWhenItPasses(Runner runner) {
        MemoryTransport server = new MemoryTransport(r -> stallMidBody());
        try (ClientSession session = ClientSession.builder().transport(server::open)
                .timeout(ClientTimeout.ofTotal(Duration.ofMillis(300))).build()) {
            double[] at = new double[2];
            ClientTimeoutError e = assertThrows(ClientTimeoutError.class, () -> runner.run(() -> {
                at[0] = now();
                try {
                    return session.get(URL + "stall");
                } finally {
                    at[1] = now();
                }
            }));
            assertInstanceOf(TimeoutError.class, e);
            assertTrue(e.getMessage().contains("total timeout"), e.getMessage());
            assertEquals(0.3, at[1] - at[0], EXACT);
            assertEquals(1, server.requests().size());
        }
    }

    @AsyncioTest
    void sockReadEndsABodyStalledThatLongAndTheNextRequestStillWorks(Runner runner) {
        List<Reply> replies = new ArrayList<>(List.of(stallMidBody(), Reply.ok("ok")));
        MemoryTransport server = new MemoryTransport(r -> replies.removeFirst());
        try (ClientSession session = ClientSession.builder().transport(server::open)
                .timeout(new ClientTimeout(null, null, Duration.ofMillis(200))).build()) {
            List<String> events = runner.run(() -> {
                List<String> out = new ArrayList<>();
                double start = now();
                ClientTimeoutError e = assertThrows(ClientTimeoutError.class, () -> session.get(URL + "stall"));
                out.add("timeout at " + Math.round((now() - start) * 1000) + " ms: " + e.getMessage().contains("sockRead"));
                out.add(session.get(URL + "ok").text());
                return out;
            });
            assertEquals(List.of("timeout at 200 ms: true", "ok"), events);
        }
    }

    @AsyncioTest
    void sockReadBoundsTheWaitForTheHeadersAndAFasterAnswerPasses(Runner runner) {
        MemoryTransport server = new MemoryTransport(r -> Reply.ok("late").delay(
                Duration.ofMillis(r.path().equals("/slow") ? 500 : 150)));
        try (ClientSession session = ClientSession.builder().transport(server::open)
                .timeout(new ClientTimeout(null, null, Duration.ofMillis(200))).build()) {
            double[] took = runner.run(() -> {
                double start = now();
                assertThrows(ClientTimeoutError.class, () -> session.get(URL + "slow"));
                double slow = now() - start;
                assertEquals("late", session.get(URL + "fast").text());
                return new double[] {slow, now() - start - slow};
            });
            assertEquals(0.2, took[0], EXACT);
            assertEquals(0.15, took[1], EXACT);
        }
    }

    @AsyncioTest
    void sockReadBoundsEachReadOfAStreamedBody(Runner runner) {
        List<Reply> replies = new ArrayList<>(List.of(stallMidBody(), Reply.ok("ok")));
        MemoryTransport server = new MemoryTransport(r -> replies.removeFirst());
        try (ClientSession session = ClientSession.builder().transport(server::open).limit(1)
                .timeout(new ClientTimeout(Duration.ofSeconds(5), null, Duration.ofMillis(200))).build()) {
            List<String> events = runner.run(() -> {
                List<String> out = new ArrayList<>();
                try (Response r = session.stream(URL + "stall")) {
                    InputStream in = r.stream();
                    out.add("read " + in.readNBytes(10).length);
                    double start = now();
                    ClientTimeoutError e = assertThrows(ClientTimeoutError.class, in::read);
                    out.add("timeout at " + Math.round((now() - start) * 1000) + " ms: " + e.getMessage().contains("sockRead"));
                }
                out.add(session.get(URL + "ok").text()); // the stream gave its one slot back
                return out;
            });
            assertEquals(List.of("read 10", "timeout at 200 ms: true", "ok"), events);
        }
    }

    @AsyncioTest
    void limitPerHostRunsSixRequestsOfFiftyMillisecondsTwoAtATime(Runner runner) {
        int[] inFlight = new int[2]; // now, most
        MemoryTransport server = new MemoryTransport(r -> {
            inFlight[1] = Math.max(inFlight[1], ++inFlight[0]);
            try {
                Asyncio.sleep(Duration.ofMillis(50)); // the server works (runs in the requesting task)
            } finally {
                inFlight[0]--;
            }
            return Reply.ok("ok");
        });
        try (ClientSession session = ClientSession.builder().transport(server::open).limitPerHost(2).build()) {
            double took = runner.run(() -> {
                double start = now();
                List<Task<String>> tasks = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    tasks.add(Asyncio.createTask(() -> session.get(URL + "slow").text()));
                }
                for (Task<String> t : tasks) {
                    assertEquals("ok", t.await());
                }
                return now() - start;
            });
            assertEquals(2, inFlight[1]);
            assertEquals(0.15, took, EXACT); // three rounds of two
        }
    }
}
