package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The fixed-size latency histogram: exact small values, under 0.4 % error above, percentiles by rank. */
class LatencyHistogramTest {

    @Test
    void anEmptyHistogramReportsZero() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(0, h.count());
        assertEquals(0, h.percentile(50));
        assertEquals(0, h.max());
    }

    @Test
    void valuesBelow256AreExact() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 100; v++) {
            h.record(v);
        }
        assertEquals(50, h.percentile(50));
        assertEquals(95, h.percentile(95));
        assertEquals(99, h.percentile(99));
        assertEquals(1, h.percentile(0));
        assertEquals(100, h.percentile(100));
        assertEquals(100, h.max());
    }

    @Test
    void percentilesOfUniformValuesAreWithinFourTenthsOfAPercent() {
        LatencyHistogram h = new LatencyHistogram();
        for (int v = 1; v <= 100_000; v++) {
            h.record(v);
        }
        assertEquals(100_000, h.count());
        assertWithin(50_000, h.percentile(50));
        assertWithin(95_000, h.percentile(95));
        assertWithin(99_900, h.percentile(99.9));
        assertEquals(100_000, h.max(), "the maximum is exact");
        assertEquals(100_000, h.percentile(100), "clamped to the maximum");
    }

    @Test
    void everyBucketMidpointIsWithinFourTenthsOfAPercentOfItsValues() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong(LatencyHistogram.MAX_VALUE + 1) >> random.nextInt(41);
            long mid = LatencyHistogram.midpoint(LatencyHistogram.index(v));
            assertTrue(Math.abs(mid - v) <= v / 256.0, v + " -> " + mid);
        }
        assertEquals(4479, LatencyHistogram.index(LatencyHistogram.MAX_VALUE), "the last of 4480 buckets");
    }

    @Test
    void bucketsAreInTheOrderOfTheirValues() {
        int last = -1;
        for (long v = 0; v < 1_000_000; v += 7) {
            int i = LatencyHistogram.index(v);
            assertTrue(i >= last, "index of " + v);
            last = i;
        }
    }

    @Test
    void aSkewedDistributionHasItsTailInP95() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 940; i++) {
            h.record(1_000_000); // 1 s
        }
        for (int i = 0; i < 60; i++) {
            h.record(30_000_000); // 30 s timeouts
        }
        assertWithin(1_000_000, h.percentile(50));
        assertWithin(30_000_000, h.percentile(95));
        assertEquals(30_000_000, h.max());
    }

    @Test
    void outOfRangeValuesAreClamped() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(-5);
        h.record(Long.MAX_VALUE);
        assertEquals(2, h.count());
        assertEquals(0, h.percentile(50));
        assertEquals(LatencyHistogram.MAX_VALUE, h.max());
        assertThrows(IllegalArgumentException.class, () -> h.percentile(101));
    }

    @Test
    void theSummaryLineSaysNoneBeforeAnyValueAndMillisecondsAfter() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals("none", h.describe());
        for (int v = 1; v <= 100; v++) {
            h.record(v * 100); // 0.1 ms to 10 ms
        }
        assertEquals("p50 5.0 ms, p95 9.5 ms, max 10.0 ms", h.describe());
    }

    private static void assertWithin(long expected, long actual) {
        assertTrue(Math.abs(actual - expected) <= expected * 0.004, "expected about " + expected + ", got " + actual);
    }
}
