package io.asyncio4j.modulepath;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Task;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A child JVM of {@code ErrorMessagesTest}: an application on the class path that uses this library as the
 * named module {@code io.asyncio4j} from the module path. It lives outside the library's packages, which
 * that module owns in such a JVM (so it cannot use the tests' {@code ForkedJvm} helpers either).
 * {@code main("withoutAddOpens")}: the error names the module; {@code main("withAddOpens")}: with the flag
 * that error names, tasks run and the module's resolver provider is installed.
 */
public final class AsyncioOnTheModulePath {
    private AsyncioOnTheModulePath() {
    }

    public static void main(String[] args) {
        int code = 0;
        try {
            assertTrue(Asyncio.class.getModule().isNamed(), "io.asyncio4j must be a named module in this JVM");
            switch (args[0]) {
                case "withoutAddOpens" -> withoutAddOpens();
                case "withAddOpens" -> withAddOpens();
                default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
            }
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }

    private static void withoutAddOpens() {
        boolean[] bodyRan = {false};
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.run(() -> bodyRan[0] = true));
        System.out.println("Asyncio.run() on the module path without --add-opens: " + e.getMessage());
        assertFalse(bodyRan[0], "the body must not run");
        assertTrue(e.getMessage().contains("--add-opens java.base/java.lang=io.asyncio4j"), e.getMessage());
    }

    private static void withAddOpens() {
        List<String> events = new ArrayList<>();
        Asyncio.run(() -> {
            Task<Void> a = Asyncio.createTask(() -> {
                events.add("A: looks up localhost");
                events.add("A: resolved, loopback=" + InetAddress.getByName("localhost").isLoopbackAddress());
            }, "A");
            Task<Void> b = Asyncio.createTask(() -> {
                events.add("B: runs");
            }, "B");
            a.await();
            b.await();
        });
        // B runs while A's lookup is parked: the module's InetAddressResolverProvider is installed
        assertEquals(List.of("A: looks up localhost", "B: runs", "A: resolved, loopback=true"), events);
    }
}
