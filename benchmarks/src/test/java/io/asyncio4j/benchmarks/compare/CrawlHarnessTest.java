package io.asyncio4j.benchmarks.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The crawl comparison ({@code benchmarks/compare/crawl}) on its smoke site of a few pages: every tool that is
 * installed (asyncio4j crawl, wget, Scrapy) crawls it once, and the harness fails unless they fetched the same
 * set of URLs. No timing is checked. asyncio4j runs from this module's test class path; wget and Scrapy are
 * skipped by the harness with a note when missing (CI need not install them), and the whole test is skipped
 * without nginx, which serves the site.
 */
class CrawlHarnessTest {
    @Test
    void everyInstalledToolFetchesTheSamePagesOfTheSmokeSite() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "the harness runs on /usr/bin/python3");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")) || Files.isExecutable(Path.of("/usr/bin/nginx")),
                "nginx serves the smoke site (apt-get install nginx)");
        Harness.Output run = Harness.run("crawl", 3, "--smoke");
        String output = run.text();
        assertEquals(0, run.exitValue(), output);
        assertTrue(output.contains("crawled the smoke site and fetched the same"), output);
        if (!output.contains("# skipped asyncio4j: this build has no crawl command")) {
            assertTrue(output.contains("round 1/1 asyncio4j: pages=6 "), output);
        }
    }
}
