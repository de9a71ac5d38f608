package io.asyncio4j.http;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ClientSession.stream / requestStreaming and Response.stream(); real time because the loop waits for sockets. */
@RealTime
class ClientSessionStreamingTest {
    private static final int FIVE_MB = 5 * 1024 * 1024;

    /** 5 MB whose byte i is i % 251, chunked in 64 KiB pieces, gzip-encoded when {@code gzip}. */
    private static Reply fiveMb(boolean gzip) throws IOException {
        byte[] body = new byte[FIVE_MB];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i % 251);
        }
        if (!gzip) {
            return Reply.status(200).body(body).chunked(64 * 1024);
        }
        return Reply.status(200).header("Content-Encoding", "gzip").body(CompressionTest.gzip(body)).chunked(64 * 1024);
    }

    /** Reads {@code in} to its end in 8 KiB reads, checking every byte; returns the count and the read calls. */
    private static long[] readChecked(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        long reads = 0;
        for (int n; (n = in.read(buf)) != -1; reads++) {
            for (int i = 0; i < n; i++) {
                if (buf[i] != (byte) ((total + i) % 251)) {
                    throw new AssertionError("wrong byte at " + (total + i));
                }
            }
            total += n;
        }
        return new long[] {total, reads};
    }

    @AsyncioTest
    void aFiveMegabyteBodyStreamsInChunksDecodedFromGzipWhenMaxBodySizeAllowsIt(Runner runner) throws IOException {
        Reply plain = fiveMb(false);
        Reply gzipped = fiveMb(true);
        try (TestServer server = TestServer.start(r -> r.path().equals("/gz") ? gzipped : plain);
             ClientSession session = ClientSession.builder().baseUrl(server.url()).maxBodySize(Long.MAX_VALUE).build()) {
            List<Long> counts = runner.run(() -> {
                List<Long> out = new ArrayList<>();
                for (String path : List.of("/plain", "/gz")) {
                    try (Response r = session.stream(path)) {
                        assertEquals(200, r.status());
                        assertThrows(IllegalStateException.class, r::bytes);
                        long[] read = readChecked(r.stream());
                        assertTrue(read[1] > 100, "read in many chunks: " + read[1]);
                        out.add(read[0]);
                    }
                }
                return out;
            });
            assertEquals(List.of((long) FIVE_MB, (long) FIVE_MB), counts);
        }
    }

    @AsyncioTest
    void aStreamedBodyIsCappedByMaxBodySizeOnItsDecodedBytesAsABufferedOneIs(Runner runner) throws IOException {
        Reply plain = fiveMb(false);
        Reply gzipped = fiveMb(true);
        Reply announced = Reply.status(200).body(new byte[2 * 1024 * 1024]);
        try (TestServer server = TestServer.start(r -> switch (r.path()) {
                case "/gz" -> gzipped;
                case "/announced" -> announced;
                default -> plain;
            });
             ClientSession session = ClientSession.builder().baseUrl(server.url()).maxBodySize(1024 * 1024).build()) {
            List<String> messages = runner.run(() -> {
                List<String> out = new ArrayList<>();
                for (String path : List.of("/plain", "/gz")) {
                    try (Response r = session.stream(path)) {
                        long[] handedOut = {0};
                        BodyTooLarge e = assertThrows(BodyTooLarge.class, () -> {
                            byte[] buf = new byte[8192];
                            for (int n; (n = r.stream().read(buf)) != -1; ) {
                                handedOut[0] += n;
                            }
                        });
                        assertTrue(handedOut[0] <= 1024 * 1024, path + ": handed out " + handedOut[0] + " bytes");
                        // the failure stays: a later read raises it again
                        assertThrows(BodyTooLarge.class, () -> r.stream().read());
                        out.add(e.getMessage());
                    }
                }
                // a Content-Length over the cap fails before the body is read, as for a buffered response
                BodyTooLarge early = assertThrows(BodyTooLarge.class, () -> session.stream("/announced"));
                out.add(early.getMessage());
                assertThrows(BodyTooLarge.class, () -> session.get("/plain"));
                return out;
            });
            assertTrue(messages.get(0).contains("more than 1048576 bytes arrived"), messages.get(0));
            assertTrue(messages.get(1).contains("more than 1048576 bytes after decoding"), messages.get(1));
            assertTrue(messages.get(2).contains("Content-Length is 2097152"), messages.get(2));
        }
    }

    @AsyncioTest
    void closingAStreamedResponseBeforeItsEndFreesTheSlots(Runner runner) throws IOException {
        try (TestServer server = TestServer.start().enqueue(fiveMb(false), Reply.ok("ok"));
             ClientSession session = ClientSession.builder().baseUrl(server.url()).limit(1).limitPerHost(1).build()) {
            String after = runner.run(() -> {
                try (Response r = session.stream("/big")) {
                    byte[] first = r.stream().readNBytes(1000);
                    assertEquals(1000, first.length);
                    assertEquals((byte) 250, first[250]);
                    // the slot is held while the stream is open: a second request waits
                    Task<String> waiting = Asyncio.createTask(() -> session.get("/ok").text());
                    Asyncio.sleep(0.05);
                    assertTrue(!waiting.done(), "request waits for the slot the stream holds");
                    waiting.cancel();
                    assertThrows(CancelledError.class, waiting::await);
                }
                return Asyncio.timeout(Duration.ofSeconds(2), () -> session.get("/ok").text());
            });
            assertEquals("ok", after);
        }
    }

    @AsyncioTest
    void cancellingATaskMidStreamFreesTheSlot(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(); ClientSession session = ClientSession.builder().limit(1).build()) {
            server.enqueue(ClientSessionTest.stallMidBody(), Reply.ok("ok"));
            List<String> events = new ArrayList<>();
            String after = runner.run(() -> {
                Task<Integer> reader = Asyncio.createTask(() -> {
                    try (Response r = session.stream(server.url() + "/stall")) {
                        InputStream in = r.stream();
                        events.add("got " + in.readNBytes(10).length);
                        return in.read(); // stalls: the server sent 10 of 100 bytes
                    }
                });
                while (events.isEmpty()) {
                    Asyncio.sleep(0.01);
                }
                Asyncio.sleep(0.02);
                reader.cancel();
                assertThrows(CancelledError.class, reader::await);
                events.add("cancelled");
                return Asyncio.timeout(Duration.ofSeconds(2), () -> session.get(server.url() + "/ok").text());
            });
            assertEquals(List.of("got 10", "cancelled"), events);
            assertEquals("ok", after);
        }
    }

    @AsyncioTest
    void aStreamStalledLongerThanSockReadRaisesClientTimeoutError(Runner runner) throws IOException {
        try (TestServer server = TestServer.start(); ClientSession session = ClientSession.builder()
                .timeout(new ClientTimeout(Duration.ofSeconds(5), null, Duration.ofMillis(200))).limit(1).build()) {
            server.enqueue(ClientSessionTest.stallMidBody(), Reply.ok("ok"));
            String after = runner.run(() -> {
                try (Response r = session.stream(server.url() + "/stall")) {
                    InputStream in = r.stream();
                    assertEquals(10, in.readNBytes(10).length);
                    ClientTimeoutError e = assertThrows(ClientTimeoutError.class, in::read);
                    assertTrue(e.getMessage().contains("sockRead"), e.getMessage());
                }
                return session.get(server.url() + "/ok").text();
            });
            assertEquals("ok", after);
        }
    }

    @AsyncioTest
    void aBufferedResponseStreamsItsBodyAndCloseDoesNothing(Runner runner) throws IOException {
        try (TestServer server = TestServer.start().enqueue(Reply.ok("hello"));
             ClientSession session = ClientSession.builder().build()) {
            runner.run(() -> {
                Response r = session.get(server.url() + "/");
                r.close();
                assertArrayEquals("hello".getBytes(), r.stream().readAllBytes());
                assertEquals("hello", r.text());
            });
        }
    }
}
