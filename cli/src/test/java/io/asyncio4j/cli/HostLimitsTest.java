package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;
import io.asyncio4j.Task;
import org.junit.jupiter.api.Test;

/** Per-origin slots of {@code fetch --per-host}: the limit per origin, FIFO waiters, nothing kept after use. */
class HostLimitsTest {

    @Test
    void originIsSchemeHostAndPortWithTheDefaultPortFilledIn() {
        assertEquals("http://example.com:80", HostLimits.origin("http://Example.COM/a?b"));
        assertEquals("https://example.com:443", HostLimits.origin("HTTPS://example.com"));
        assertEquals("http://127.0.0.1:8080", HostLimits.origin("http://127.0.0.1:8080/json"));
        assertNull(HostLimits.origin("not a url"));
        assertNull(HostLimits.origin("/relative"));
    }

    @Test
    void atMostNAttemptsPerOriginAndTheSlotsAreDroppedAfterUse() {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            List<String> events = runner.run(() -> {
                HostLimits limits = new HostLimits(2);
                List<String> log = new ArrayList<>();
                List<Task<Void>> tasks = new ArrayList<>();
                for (String name : List.of("a1", "a2", "a3", "b1")) {
                    String url = name.startsWith("a") ? "http://a.example/" + name : "http://b.example/";
                    tasks.add(Asyncio.createTask(() -> {
                        HostLimits.Slot slot = limits.acquire(url);
                        log.add(name + " in at " + Asyncio.getRunningLoop().time());
                        Asyncio.sleep(1.0);
                        slot.release();
                    }));
                }
                Asyncio.gather(tasks);
                log.add("origins left: " + limits.origins());
                assertNull(limits.acquire("no url"), "no origin, no slot");
                return log;
            });
            assertEquals(List.of("a1 in at 0.0", "a2 in at 0.0", "b1 in at 0.0", "a3 in at 1.0", "origins left: 0"),
                    events);
        }
    }

    @Test
    void aWaiterCancelledLeavesNoSlotBehind() {
        try (Runner runner = Runner.builder().virtualTime(true).build()) {
            int left = runner.run(() -> {
                HostLimits limits = new HostLimits(1);
                HostLimits.Slot held = limits.acquire("http://a.example/");
                Task<HostLimits.Slot> waiter = Asyncio.createTask(() -> limits.acquire("http://a.example/2"));
                Asyncio.sleep(0.1);
                waiter.cancel();
                Asyncio.sleep(0.1);
                held.release();
                return limits.origins();
            });
            assertEquals(0, left);
        }
    }
}
