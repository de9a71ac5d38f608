package io.asyncio4j.sync;

import java.util.Random;
import java.util.stream.LongStream;

/**
 * The seeds and the size of the randomised stress tests of the sync primitives ({@link SyncStressTest},
 * {@link QueueStressTest}) and of the kernel's cancellation scopes ({@code io.asyncio4j.CancellationStressTest}).
 * A run is a pure function of its seed: one {@link Random} used on the loop thread only, on virtual time,
 * so a failing seed replays exactly.
 *
 * <p>CI runs the fixed seeds at scale 1 (about a second per class). Locally:
 * <pre>
 *   -Dasyncio4j.stress.seeds=200    the fixed seeds plus 200 random ones (a failure names its seed)
 *   -Dasyncio4j.stress.seed=1234    replays one seed only (what a failure message says to run)
 *   -Dasyncio4j.stress.scale=10     ten times the tasks and rounds of each run
 * </pre>
 */
public final class StressSeeds {
    static final String SEEDS = "asyncio4j.stress.seeds";
    static final String SEED = "asyncio4j.stress.seed";
    static final String SCALE = "asyncio4j.stress.scale";

    private static final long[] FIXED = {1, 2, 3, 4, 5, 6, 7, 8};

    private StressSeeds() {
    }

    /** The seeds to run: {@value #SEED} alone if set, else the fixed seeds plus {@value #SEEDS} random ones. */
    public static LongStream seeds() {
        String one = System.getProperty(SEED);
        if (one != null && !one.isBlank()) {
            return LongStream.of(Long.parseLong(one.trim()));
        }
        int extra = Integer.getInteger(SEEDS, 0);
        return LongStream.concat(LongStream.of(FIXED), new Random().longs(extra, 0, Long.MAX_VALUE));
    }

    /** How many times the CI size a run is ({@value #SCALE}, default 1). */
    public static int scale() {
        int scale = Integer.getInteger(SCALE, 1);
        if (scale < 1) {
            throw new IllegalArgumentException("-D" + SCALE + " must be >= 1, got " + scale);
        }
        return scale;
    }

    /** Runs one seeded scenario; a failure names the seed and the flag that replays it. */
    public static void replayable(String scenario, long seed, Runnable run) {
        try {
            run.run();
        } catch (Throwable e) {
            throw new AssertionError(scenario + " failed with seed " + seed + " at scale " + scale()
                    + " (replay: -D" + SEED + "=" + seed + " -D" + SCALE + "=" + scale() + "): " + e, e);
        }
    }
}
