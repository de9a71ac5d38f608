package io.asyncio4j.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The crawl dispatcher's memory of its last take that found nothing: every queued URL of that depth was on a
 * host that had its share of page tasks. The same take can find something only after a URL of that depth was
 * queued or one of those hosts left the busy set (one of its tasks ended), so until then the dispatcher waits
 * instead of asking the frontier again. Without this, a crawl of one site with the default {@code --per-host}
 * scanned the whole queued level once per page done (the site is busy again the moment its next task starts),
 * which made a level of n URLs cost n² row reads.
 *
 * <p>Thread-safety: the run's tasks on the loop thread only.
 */
final class FruitlessTake {

    // the depth of the last fruitless take, or -1 when the last take found something (or none was recorded)
    private int depth = -1;
    // the hosts skipped by that take, and the URLs of its depth queued so far when it ran
    private Set<String> busy = Set.of();
    private long offeredThen;
    // URLs queued this run, by depth
    private final Map<Integer, Long> offered = new HashMap<>();

    /** A take of {@code depth} skipping the {@code busy} hosts found nothing. */
    void record(int depth, List<String> busy) {
        this.depth = depth;
        this.busy = new HashSet<>(busy);
        this.offeredThen = offered.getOrDefault(depth, 0L);
    }

    /** New URLs of {@code depth} were queued. */
    void offered(int depth) {
        offered.merge(depth, 1L, Long::sum);
    }

    /**
     * Whether a take of {@code depth} skipping the {@code busy} hosts now is sure to find nothing: the last
     * fruitless take was of the same depth, no URL of that depth was queued since, and every host it skipped
     * is still busy.
     */
    boolean wouldRepeat(int depth, List<String> busy) {
        return depth == this.depth && offered.getOrDefault(depth, 0L) == offeredThen && busy.containsAll(this.busy);
    }
}
