package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

class SitemapsTest {

    private static final String URLSET = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc>http://site.test/a.html</loc></url>
              <url><loc>http://site.test/b/</loc><lastmod>2026-01-01</lastmod></url>
            </urlset>
            """;

    @Test
    void aUrlsetListsItsPages() {
        Sitemaps.Content c = Sitemaps.parse("http://site.test/sitemap.xml", "application/xml", utf8(URLSET));
        assertEquals(List.of("http://site.test/a.html", "http://site.test/b/"), c.pages());
        assertEquals(List.of(), c.sitemaps());
    }

    @Test
    void anIndexListsItsChildSitemaps() {
        String index = """
                <?xml version="1.0" encoding="UTF-8"?>
                <sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
                  <sitemap><loc>http://site.test/sitemap-1.xml</loc></sitemap>
                  <sitemap><loc>http://site.test/sitemap-2.xml.gz</loc></sitemap>
                </sitemapindex>
                """;
        Sitemaps.Content c = Sitemaps.parse("http://site.test/sitemap-index.xml", "text/xml", utf8(index));
        assertEquals(List.of("http://site.test/sitemap-1.xml", "http://site.test/sitemap-2.xml.gz"), c.sitemaps());
        assertEquals(List.of(), c.pages());
    }

    @Test
    void aGzippedSitemapIsRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(utf8(URLSET));
        }
        Sitemaps.Content c = Sitemaps.parse("http://site.test/sitemap-2.xml.gz", "application/gzip", bytes.toByteArray());
        assertEquals(List.of("http://site.test/a.html", "http://site.test/b/"), c.pages());
    }

    @Test
    void somethingElseIsRefusedWithTheSitemapsUrl() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sitemaps.parse("http://site.test/sitemap.xml", "image/png", new byte[] {1, 2, 3}));
        assertEquals(true, e.getMessage().startsWith("sitemap http://site.test/sitemap.xml could not be read: "),
                e.getMessage());
    }

    @Test
    void theDefaultLocationIsTheRootsSitemapXml() {
        assertEquals("http://site.test:8080/sitemap.xml", Sitemaps.defaultLocation("http://site.test:8080/docs/x"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
