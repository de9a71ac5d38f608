package io.asyncio4j.internal.dns;

import io.asyncio4j.Asyncio;
import io.asyncio4j.CancelledError;
import io.asyncio4j.ForkedJvm;
import io.asyncio4j.Task;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.net.spi.InetAddressResolverProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LoopAwareResolverProvider}: a name lookup made in a task parks the task and runs the JDK's
 * resolver on a platform thread, so the loop runs other tasks meanwhile; outside a task, lookups are the
 * JDK's own.
 *
 * <p>Every scenario runs in a fresh JVM, so that the resolver the JVM loads and the lookups it caches
 * belong to that scenario alone. Two kinds of scenario:
 * <ul>
 *   <li>through {@link InetAddress}, as users call it, with the platform resolver and the name
 *       {@code localhost}, which every system resolves from its hosts file, without network (a JVM given
 *       {@code -Djdk.net.hosts.file} loads no resolver provider at all, so that cannot be used here);</li>
 *   <li>the provider itself over a fake built-in resolver that records the thread it is called on and
 *       fails for unknown names at once (the JDK's configuration class is reached with
 *       {@code --add-exports java.base/sun.net}).</li>
 * </ul>
 */
class ResolverTest {
    // ---- through InetAddress ------------------------------------------------------------------------------

    @Test
    void lookupInATaskParksTheTaskAndTheLoopRunsOtherTasks() throws Exception {
        runInFreshJvm("lookupInATaskParksTheTaskAndTheLoopRunsOtherTasks");
    }

    @Test
    void lookupOutsideATaskWorksOnAnyThread() throws Exception {
        runInFreshJvm("lookupOutsideATaskWorksOnAnyThread");
    }

    @Test
    void cancellingATaskDuringALookupEndsItCancelledAndLaterLookupsWork() throws Exception {
        runInFreshJvm("cancellingATaskDuringALookupEndsItCancelledAndLaterLookupsWork");
    }

    // ---- the provider over a fake built-in resolver ----------------------------------------------------------

    @Test
    void lookupByNameInATaskRunsTheBuiltInResolverOnADnsPlatformThread() throws Exception {
        runInFreshJvm("lookupByNameInATaskRunsTheBuiltInResolverOnADnsPlatformThread");
    }

    @Test
    void lookupByAddressInATaskRunsTheBuiltInResolverOnADnsPlatformThread() throws Exception {
        runInFreshJvm("lookupByAddressInATaskRunsTheBuiltInResolverOnADnsPlatformThread");
    }

    @Test
    void outsideATaskTheBuiltInResolverRunsOnTheCallingThread() throws Exception {
        runInFreshJvm("outsideATaskTheBuiltInResolverRunsOnTheCallingThread");
    }

    @Test
    void unknownHostInATaskThrowsTheBuiltInResolversUnknownHostExceptionUnwrapped() throws Exception {
        runInFreshJvm("unknownHostInATaskThrowsTheBuiltInResolversUnknownHostExceptionUnwrapped");
    }

    private static void runInFreshJvm(String scenario) throws Exception {
        ForkedJvm.main(Scenarios.class)
                .jvmArg("--add-exports", "java.base/sun.net=ALL-UNNAMED")
                .systemProperty("sun.net.inetaddr.ttl", "0")          // no answer from the JDK's cache
                .systemProperty("sun.net.inetaddr.negative.ttl", "0")
                .arg(scenario)
                .run()
                .assertExitedNormally();
    }

    /** The child JVM: {@code main(scenarioName)} runs the method of that name. */
    public static final class Scenarios {
        private static final String KNOWN = "known.asyncio4j.test";
        private static final String UNKNOWN = "unknown.asyncio4j.test";
        private static final UnknownHostException NOT_FOUND = new UnknownHostException(UNKNOWN + ": not in the fake");
        private static final LookupPolicy IPV4 = LookupPolicy.of(LookupPolicy.IPV4);

        public static void main(String[] args) {
            ForkedJvm.runScenario(Scenarios.class, args);
        }

        /*
         * A runs first and looks a name up; B was created after A and is ready. If the lookup held the loop
         * (the JDK's native lookup pins the loop thread), A would resolve before B ran; only a lookup that
         * parks A lets B in between.
         */
        static void lookupInATaskParksTheTaskAndTheLoopRunsOtherTasks() {
            List<String> events = new ArrayList<>();
            Asyncio.run(() -> {
                Task<Void> a = Asyncio.createTask(() -> {
                    events.add("A: looks up localhost");
                    InetAddress address = InetAddress.getByName("localhost");
                    events.add("A: resolved, loopback=" + address.isLoopbackAddress());
                }, "A");
                Task<Void> b = Asyncio.createTask(() -> {
                    events.add("B: runs");
                }, "B");
                a.await();
                b.await();
            });
            assertEquals(List.of("A: looks up localhost", "B: runs", "A: resolved, loopback=true"), events);
        }

        static void lookupOutsideATaskWorksOnAnyThread() throws Exception {
            // a platform thread, before any loop ran
            assertTrue(InetAddress.getByName("localhost").isLoopbackAddress());
            // a virtual thread that is not a task
            Object[] fromVirtual = new Object[1];
            Thread.ofVirtual().start(() -> {
                try {
                    fromVirtual[0] = InetAddress.getByName("localhost").isLoopbackAddress();
                } catch (UnknownHostException e) {
                    fromVirtual[0] = e;
                }
            }).join();
            assertEquals(true, fromVirtual[0]);
            // a worker of toThread: it serves a loop but is not a task
            assertTrue(Asyncio.run(() -> Asyncio.toThread(() -> InetAddress.getByName("localhost").isLoopbackAddress())));
            // and a platform thread again, after the loop closed
            assertTrue(InetAddress.getByName("localhost").isLoopbackAddress());
        }

        static void cancellingATaskDuringALookupEndsItCancelledAndLaterLookupsWork() throws Exception {
            List<String> events = new ArrayList<>();
            Asyncio.run(() -> {
                Task<InetAddress> a = Asyncio.createTask(() -> {
                    events.add("A: looks up localhost");
                    return InetAddress.getByName("localhost");
                }, "A");
                Asyncio.sleep(0); // A runs and parks in its lookup
                events.add("main: cancels A");
                a.cancel("lookup no longer needed");
                CancelledError e = assertThrows(CancelledError.class, a::await);
                assertEquals("lookup no longer needed", e.getMessage());
                events.add("main: A cancelled");
                Task<Boolean> c = Asyncio.createTask(() -> InetAddress.getByName("localhost").isLoopbackAddress(), "C");
                assertTrue(c.await(), "a lookup after the cancelled one");
            });
            assertEquals(List.of("A: looks up localhost", "main: cancels A", "main: A cancelled"), events);
            assertTrue(InetAddress.getByName("localhost").isLoopbackAddress(), "a lookup outside the loop after it");
        }

        static void lookupByNameInATaskRunsTheBuiltInResolverOnADnsPlatformThread() {
            FakeBuiltin builtin = new FakeBuiltin();
            InetAddressResolver resolver = providerOver(builtin);
            List<String> events = new ArrayList<>();
            Asyncio.run(() -> {
                Task<Void> a = Asyncio.createTask(() -> {
                    events.add("A: looks up");
                    List<InetAddress> found = resolver.lookupByName(KNOWN, IPV4).toList();
                    events.add("A: resolved " + found.getFirst().getHostAddress());
                }, "A");
                Task<Void> b = Asyncio.createTask(() -> {
                    events.add("B: runs");
                }, "B");
                a.await();
                b.await();
            });
            assertEquals(List.of("A: looks up", "B: runs", "A: resolved 127.0.0.2"), events);
            builtin.assertCalledOnlyOnDnsThreads(1);
        }

        static void lookupByAddressInATaskRunsTheBuiltInResolverOnADnsPlatformThread() {
            FakeBuiltin builtin = new FakeBuiltin();
            InetAddressResolver resolver = providerOver(builtin);
            List<String> events = new ArrayList<>();
            Asyncio.run(() -> {
                Task<Void> a = Asyncio.createTask(() -> {
                    events.add("A: looks up 127.0.0.2");
                    String name = resolver.lookupByAddress(new byte[] {127, 0, 0, 2});
                    events.add("A: resolved " + name);
                }, "A");
                Task<Void> b = Asyncio.createTask(() -> {
                    events.add("B: runs");
                }, "B");
                a.await();
                b.await();
            });
            assertEquals(List.of("A: looks up 127.0.0.2", "B: runs", "A: resolved " + KNOWN), events);
            builtin.assertCalledOnlyOnDnsThreads(1);
        }

        static void outsideATaskTheBuiltInResolverRunsOnTheCallingThread() throws Exception {
            FakeBuiltin builtin = new FakeBuiltin();
            InetAddressResolver resolver = providerOver(builtin);
            resolver.lookupByName(KNOWN, IPV4);
            resolver.lookupByAddress(new byte[] {127, 0, 0, 2});
            Asyncio.run(() -> Asyncio.toThread(() -> resolver.lookupByName(KNOWN, IPV4).toList()));
            String worker = builtin.threads.getLast();
            assertEquals(List.of(Thread.currentThread().getName(), Thread.currentThread().getName(), worker),
                    builtin.threads);
            assertTrue(worker.startsWith("asyncio4j-worker"), worker);
            assertThrows(UnknownHostException.class, () -> resolver.lookupByName(UNKNOWN, IPV4));
        }

        static void unknownHostInATaskThrowsTheBuiltInResolversUnknownHostExceptionUnwrapped() {
            FakeBuiltin builtin = new FakeBuiltin();
            InetAddressResolver resolver = providerOver(builtin);
            Throwable thrown = Asyncio.run(() -> {
                try {
                    resolver.lookupByName(UNKNOWN, IPV4);
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertSame(NOT_FOUND, thrown, "the built-in resolver's UnknownHostException, not a wrapper");
            builtin.assertCalledOnlyOnDnsThreads(1);
        }

        /** The provider as the JDK would install it, over {@code builtin}. */
        private static InetAddressResolver providerOver(InetAddressResolver builtin) {
            try {
                Class<?> c = Class.forName("sun.net.ResolverProviderConfiguration");
                Object configuration = c.getConstructor(InetAddressResolver.class, Supplier.class)
                        .newInstance(builtin, (Supplier<String>) () -> "localhost");
                return new LoopAwareResolverProvider().get((InetAddressResolverProvider.Configuration) configuration);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("cannot build the JDK's resolver configuration (needs "
                        + "--add-exports java.base/sun.net=ALL-UNNAMED)", e);
            }
        }

        /** A built-in resolver that knows one name, 127.0.0.2, and records the threads it runs on. */
        private static final class FakeBuiltin implements InetAddressResolver {
            final List<String> threads = Collections.synchronizedList(new ArrayList<>());

            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                threads.add(Thread.currentThread().getName());
                assertFalse(Thread.currentThread().isVirtual(), "a resolver's native call would pin a virtual thread");
                if (!host.equals(KNOWN)) {
                    throw NOT_FOUND;
                }
                return Stream.of(InetAddress.getByAddress(KNOWN, new byte[] {127, 0, 0, 2}));
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                threads.add(Thread.currentThread().getName());
                assertFalse(Thread.currentThread().isVirtual(), "a resolver's native call would pin a virtual thread");
                if (addr.length != 4 || addr[0] != 127 || addr[3] != 2) {
                    throw NOT_FOUND;
                }
                return KNOWN;
            }

            void assertCalledOnlyOnDnsThreads(int calls) {
                assertEquals(calls, threads.size(), threads.toString());
                for (String name : threads) {
                    assertTrue(name.startsWith("asyncio4j-dns-"), "resolved on '" + name + "', not on a DNS thread");
                }
            }
        }
    }
}
