package io.asyncio4j.http;

import io.asyncio4j.Runner;
import io.asyncio4j.testing.AsyncioTest;
import io.asyncio4j.testing.RealTime;
import io.asyncio4j.testing.Reply;
import io.asyncio4j.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JsonCodec.jackson(), Response.json and ClientSession.postJson; real time because the loop waits for sockets. */
@RealTime
class JsonCodecTest {
    record User(String name, int age, List<String> tags) {
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodeWithoutATypeGivesPlainValuesInDocumentOrder() {
        Object v = JsonCodec.jackson().decode(utf8(
                "{\"z\": 1, \"a\": [true, null, \"s\", 2.5, 12345678901, 123456789012345678901234567890]}"));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("z", 1);
        expected.put("a", Arrays.asList(true, null, "s", 2.5, 12345678901L, new BigInteger("123456789012345678901234567890")));
        assertEquals(expected, v);
        assertEquals(List.of("z", "a"), new ArrayList<>(((Map<?, ?>) v).keySet()));
        assertEquals(null, JsonCodec.jackson().decode(utf8("null")));
    }

    @Test
    void encodeAndDecodeRoundTripARecord() {
        User u = new User("ana", 31, List.of("x", "y"));
        byte[] json = JsonCodec.jackson().encode(u);
        assertEquals("{\"name\":\"ana\",\"age\":31,\"tags\":[\"x\",\"y\"]}", new String(json, StandardCharsets.UTF_8));
        assertEquals(u, JsonCodec.jackson().decode(json, User.class));
    }

    @Test
    void malformedJsonOrAMismatchedTypeRaisesInvalidJson() {
        InvalidJson bad = assertThrows(InvalidJson.class, () -> JsonCodec.jackson().decode(utf8("{\"a\": ")));
        assertTrue(bad.getMessage().startsWith("cannot decode JSON as java.lang.Object"), bad.getMessage());
        assertThrows(InvalidJson.class, () -> JsonCodec.jackson().decode(utf8("{\"age\": \"old\"}"), User.class));
        assertThrows(InvalidJson.class, () -> JsonCodec.jackson().decode(utf8("[1] trailing"), Object.class));
    }

    @AsyncioTest
    void responseJsonDecodesTheBodyWithTheSessionCodec(Runner runner) throws IOException {
        try (TestServer server = TestServer.start().enqueue(
                Reply.status(200).header("Content-Type", "application/json").body("{\"name\":\"bo\",\"age\":7,\"tags\":[]}"),
                Reply.status(200).header("Content-Type", "application/json").body("<html>"));
             ClientSession session = ClientSession.builder().baseUrl(server.url()).build()) {
            Response r = runner.run(() -> session.get("/user"));
            assertEquals(new User("bo", 7, List.of()), r.json(User.class));
            assertEquals(Map.of("name", "bo", "age", 7, "tags", List.of()), r.json());
            Response bad = runner.run(() -> session.get("/bad"));
            assertThrows(InvalidJson.class, bad::json);
        }
    }

    @AsyncioTest
    void postJsonSendsTheEncodedValueWithItsContentType(Runner runner) throws IOException {
        try (TestServer server = TestServer.start().enqueue(Reply.status(201).body("{\"id\": 5}")); ClientSession session = ClientSession.builder().baseUrl(server.url()).build()) {
            Object created = runner.run(() -> session.postJson("/users", Map.of("name", "cy")).json());
            assertEquals(Map.of("id", 5), created);
            assertEquals(List.of("POST application/json {\"name\":\"cy\"}"), server.requests().stream()
                    .map(q -> q.method() + " " + q.header("Content-Type") + " " + q.bodyText()).toList());
        }
    }

    @AsyncioTest
    void aSessionUsesTheCodecItWasBuiltWith(Runner runner) throws IOException {
        List<String> calls = new CopyOnWriteArrayList<>();
        JsonCodec fake = new JsonCodec() {
            @Override
            public <T> T decode(byte[] json, Class<T> type) {
                calls.add("decode " + type.getSimpleName());
                return type.cast("decoded");
            }

            @Override
            public Object decode(byte[] json) {
                calls.add("decode");
                return "plain";
            }

            @Override
            public byte[] encode(Object value) {
                calls.add("encode " + value);
                return utf8("\"fake\"");
            }
        };
        List<String> bodies = new CopyOnWriteArrayList<>();
        try (TestServer server = TestServer.start().enqueue(Reply.ok("whatever")); ClientSession session = ClientSession.builder().baseUrl(server.url()).jsonCodec(fake).build()) {
            Response r = runner.run(() -> session.postJson("/", 42));
            assertEquals("decoded", r.json(String.class));
            assertEquals("plain", r.json());
            assertEquals(List.of("encode 42", "decode String", "decode"), calls);
            assertEquals(List.of("\"fake\""), server.requests().stream().map(q -> q.bodyText()).toList());
        }
    }
}
