package io.asyncio4j.http;

import org.junit.jupiter.api.Test;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reading rate-limit headers as OpenAI, GitHub and RFC 9110's Retry-After write them. */
class RateLimitHeadersTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    private static RateLimitHeaders read(String... nameValues) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.put(nameValues[i], List.of(nameValues[i + 1]));
        }
        return RateLimitHeaders.of(HttpHeaders.of(m, (a, b) -> true), NOW);
    }

    @Test
    void openAiHeadersGiveTheFewestRemainingAndTheLongestReset() {
        RateLimitHeaders r = read("x-ratelimit-limit-requests", "60", "x-ratelimit-remaining-requests", "59",
                "x-ratelimit-remaining-tokens", "149984", "x-ratelimit-reset-requests", "1s",
                "x-ratelimit-reset-tokens", "6m0.5s");
        assertEquals(OptionalLong.of(59), r.remaining());
        assertEquals(Optional.of(Duration.ofMinutes(6).plusMillis(500)), r.reset());
        assertEquals(Optional.empty(), r.retryAfter());
        assertEquals(Optional.empty(), r.suggestedWait(), "requests are left: no wait");
    }

    @Test
    void nothingLeftSuggestsWaitingForTheReset() {
        RateLimitHeaders r = read("X-RateLimit-Remaining-Requests", "0", "X-RateLimit-Reset-Requests", "20ms");
        assertEquals(Optional.of(Duration.ofMillis(20)), r.suggestedWait());
    }

    @Test
    void githubsPlainResetIsAUnixTime() {
        RateLimitHeaders r = read("x-ratelimit-remaining", "0",
                "x-ratelimit-reset", Long.toString(NOW.getEpochSecond() + 90));
        assertEquals(OptionalLong.of(0), r.remaining());
        assertEquals(Optional.of(Duration.ofSeconds(90)), r.reset());
    }

    @Test
    void retryAfterWinsAndMayBeAnHttpDate() {
        RateLimitHeaders r = read("Retry-After", "Fri, 02 Jan 2026 03:04:35 GMT", "x-ratelimit-remaining-requests", "5");
        assertEquals(Optional.of(Duration.ofSeconds(30)), r.retryAfter());
        assertEquals(Optional.of(Duration.ofSeconds(30)), r.suggestedWait());
    }

    @Test
    void valuesThatDoNotParseAreIgnored() {
        RateLimitHeaders r = read("x-ratelimit-remaining-requests", "lots", "x-ratelimit-reset-requests", "soon",
                "x-ratelimit-reset-tokens", "1s2", "Retry-After", "later");
        assertEquals(new RateLimitHeaders(OptionalLong.empty(), Optional.empty(), Optional.empty()), r);
    }
}
