/**
 * asyncio4j's benchmarks: {@code KernelBenchmark} (the kernel figures of issue 2), {@code HttpBenchmark} (the http figures of issue 5),
 * {@code DatabaseBenchmark} (the sqlite figures of issue 16) and JMH micro-benchmarks
 * named after the tests they mirror. Not a library: nothing is exported; JMH's generated harness reaches the
 * benchmark classes reflectively, hence the opens.
 */
@SuppressWarnings("requires-automatic") // JMH ships no module name; it is "jmh.core" from its file name
module io.asyncio4j.benchmarks {
    requires io.asyncio4j;
    requires io.asyncio4j.http;
    requires io.asyncio4j.sqlite;
    requires java.sql;
    requires jdk.httpserver;
    requires java.management;
    requires jdk.management;
    requires jmh.core;

    opens io.asyncio4j.benchmarks to jmh.core;
}
