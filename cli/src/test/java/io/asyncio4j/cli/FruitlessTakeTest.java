package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class FruitlessTakeTest {

    private static final String A = "http://a.example";
    private static final String B = "http://b.example";

    @Test
    void nothingIsSkippedBeforeAFruitlessTake() {
        assertFalse(new FruitlessTake().wouldRepeat(1, List.of(A)));
    }

    @Test
    void theSameTakeIsSkippedWhileItsHostsStayBusyAndNothingOfItsDepthIsQueued() {
        FruitlessTake f = new FruitlessTake();
        f.record(1, List.of(A));
        assertTrue(f.wouldRepeat(1, List.of(A)));
        assertTrue(f.wouldRepeat(1, List.of(A, B)), "a host more is busy: still nothing to find");
        f.offered(2); // links found on a page go one level down
        assertTrue(f.wouldRepeat(1, List.of(A)));
    }

    @Test
    void aHostThatLeavesTheBusySetMakesTheTakeWorthTryingAgain() {
        FruitlessTake f = new FruitlessTake();
        f.record(1, List.of(A, B));
        assertFalse(f.wouldRepeat(1, List.of(A)));
        assertFalse(f.wouldRepeat(1, List.of()));
    }

    @Test
    void aUrlQueuedAtTheSameDepthMakesTheTakeWorthTryingAgain() {
        FruitlessTake f = new FruitlessTake();
        f.record(1, List.of(A));
        f.offered(1); // a redirect's target, or a sitemap's pages
        assertFalse(f.wouldRepeat(1, List.of(A)));
    }

    @Test
    void aTakeOfAnotherDepthIsNotTheSameTake() {
        FruitlessTake f = new FruitlessTake();
        f.record(1, List.of(A));
        assertFalse(f.wouldRepeat(2, List.of(A)));
    }
}
