package io.asyncio4j.cli;

import java.util.Locale;

/**
 * Latencies in a fixed-size, log-linear histogram (the idea of HdrHistogram): percentiles of any number of
 * recorded values with a relative error below 0.4 %, in 35 KiB whatever the count. Values are whole
 * microseconds from 0 to about 12 days; longer ones are counted as the longest.
 *
 * <h2>Buckets</h2>
 * <pre>
 *   value v (µs)          bucket width     index
 *   0 .. 255              1 (exact)        v
 *   2^k .. 2^(k+1)-1      2^(k-7)          256 + (k-8)·128 + (v >> (k-7)) - 128      for k = 8..40
 * </pre>
 * Each power of two above 255 is cut into 128 equal buckets, so a bucket is at most 1/128 of the values in
 * it wide; a percentile reports its bucket's midpoint (clamped to the smallest and largest value seen), off
 * by at most half a bucket: under 0.4 %.
 *
 * <p>Thread-safety: none; {@code fetch} records from tasks of one event loop, which run one at a time.
 */
final class LatencyHistogram {

    private static final int SUB_BITS = 7;
    private static final int SUB = 1 << SUB_BITS; // 128 buckets per power of two
    private static final int MAX_EXPONENT = 40; // 2^41 µs ≈ 25 days > the cap below
    /** The largest value recorded as itself; anything longer counts as this. */
    static final long MAX_VALUE = (1L << (MAX_EXPONENT + 1)) - 1;

    // written by record() only (the loop thread); read by the percentile and summary methods
    private final long[] counts = new long[2 * SUB + (MAX_EXPONENT - SUB_BITS) * SUB];
    private long total;
    private long min = Long.MAX_VALUE;
    private long max;

    /** Counts one value of {@code micros} microseconds (negative counts as 0). */
    void record(long micros) {
        long v = Math.clamp(micros, 0, MAX_VALUE);
        counts[index(v)]++;
        total++;
        min = Math.min(min, v);
        max = Math.max(max, v);
    }

    /** The summaries' latency: {@code p50 1.2 ms, p95 3.4 ms, max 20.1 ms}, or {@code none}. */
    String describe() {
        return count() == 0 ? "none"
                : "p50 " + ms(percentile(50)) + ", p95 " + ms(percentile(95)) + ", max " + ms(max());
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
    }

    /** How many values were recorded. */
    long count() {
        return total;
    }

    /** The largest value recorded, exactly; 0 when none was. */
    long max() {
        return max;
    }

    /**
     * The value below or at which {@code percent} % of the recorded values lie (the nearest-rank percentile,
     * within the bucket error); 0 when nothing was recorded.
     *
     * @param percent 0 to 100
     */
    long percentile(double percent) {
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be within 0 and 100, got " + percent);
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(percent / 100 * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.clamp(midpoint(i), min, max);
            }
        }
        return max; // not reached: seen ends at total >= rank
    }

    static int index(long v) {
        if (v < 2 * SUB) {
            return (int) v;
        }
        int k = 63 - Long.numberOfLeadingZeros(v); // 2^k <= v < 2^(k+1), k >= 8
        int shift = k - SUB_BITS;
        return 2 * SUB + (k - SUB_BITS - 1) * SUB + (int) (v >> shift) - SUB;
    }

    /** The middle of bucket {@code i}'s range of values. */
    static long midpoint(int i) {
        if (i < 2 * SUB) {
            return i;
        }
        int k = (i - 2 * SUB) / SUB + SUB_BITS + 1;
        int shift = k - SUB_BITS;
        long low = ((long) ((i - 2 * SUB) % SUB + SUB)) << shift;
        return low + ((1L << shift) - 1) / 2;
    }
}
