/**
 * asyncio4j: Python's asyncio programming model on Java 25 virtual threads.
 * Start with {@link io.asyncio4j.Asyncio}.
 */
@SuppressWarnings("module") // the testing module is compiled after this one
module io.asyncio4j {
    // the MBean of each running loop (asyncio4j ps/pstree) and the JFR events of tasks
    requires java.management;
    requires jdk.jfr;

    exports io.asyncio4j;
    exports io.asyncio4j.graph;
    exports io.asyncio4j.sync;
    // for the JUnit support module only: open loops, live tasks and unhandled failures
    exports io.asyncio4j.internal.diag to io.asyncio4j.testing;

    provides java.net.spi.InetAddressResolverProvider with io.asyncio4j.internal.dns.LoopAwareResolverProvider;
}
