/**
 * The {@code asyncio4j} command: {@code fetch} (many URLs concurrently, as JSON lines), {@code batch} (LLM
 * API requests within rate limits, resumable), {@code crawl} (a polite, resumable site crawler), {@code demo} (sequential versus concurrent HTTP fetches),
 * {@code serve} (a local HTTP/1.1 server running on asyncio4j itself), {@code ps} and {@code pstree} (the tasks
 * of a running JVM, as Python's {@code python -m asyncio ps/pstree}) and the top command's {@code --version} and
 * {@code --help}. Built with picocli; uses only the public API of
 * {@code io.asyncio4j}.
 */
module io.asyncio4j.cli {
    requires io.asyncio4j;
    requires io.asyncio4j.http;
    requires info.picocli;
    requires tools.jackson.databind;
    // crawl: jsoup parses HTML; crawler-commons (an automatic module) parses robots.txt and sitemaps
    requires org.jsoup;
    // crawl: the frontier (seen set, queue, robots.txt cache) is a SQLite file
    requires io.asyncio4j.sqlite;
    requires crawler.commons;
    // crawl --warc: jwarc writes the WARC file
    requires jwarc; // an automatic module named after its jar
    // ps and pstree: attach to another JVM and read its loops' MBeans over JMX
    requires jdk.attach;
    requires java.management;
    // batch --tpm counts tokens with jtokkit (an automatic module: its jar has no module name of its own)
    requires jtokkit;

    // picocli reads and writes the annotated command fields reflectively.
    opens io.asyncio4j.cli to info.picocli;

    exports io.asyncio4j.cli;
}
