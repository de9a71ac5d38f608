package io.asyncio4j.cli;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import crawlercommons.sitemaps.AbstractSiteMap;
import crawlercommons.sitemaps.SiteMap;
import crawlercommons.sitemaps.SiteMapIndex;
import crawlercommons.sitemaps.SiteMapParser;
import crawlercommons.sitemaps.SiteMapURL;
import crawlercommons.sitemaps.UnknownFormatException;

/**
 * Reads one fetched sitemap: either the page URLs it lists or, for a sitemap index, the sitemaps it
 * points to (which {@code crawl} fetches in turn). XML sitemaps, sitemap indexes, plain-text sitemaps
 * (one URL a line), RSS/Atom feeds and their gzip-compressed forms are understood, through
 * crawler-commons' {@code SiteMapParser} in its lenient mode (a sitemap may list URLs of other paths
 * of its host; scope decides what is fetched).
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * Sitemaps.Content c = Sitemaps.parse("http://example.com/sitemap.xml", "application/xml", body);
 * c.pages();      // page URLs, in document order
 * c.sitemaps();   // child sitemaps of an index
 * }</pre>
 */
final class Sitemaps {

    /** What one sitemap lists. */
    record Content(List<String> pages, List<String> sitemaps) {
    }

    private Sitemaps() {
    }

    /**
     * Parses a sitemap's body.
     *
     * @param url         where the sitemap was fetched from
     * @param contentType the response's Content-Type (may be null; gzip is also recognised by its bytes)
     * @param body        the body as received
     * @throws IllegalArgumentException naming the URL if the body is not a sitemap in a known format
     */
    static Content parse(String url, String contentType, byte[] body) {
        SiteMapParser parser = new SiteMapParser(false);
        AbstractSiteMap map;
        try {
            map = parser.parseSiteMap(contentType == null ? "application/xml" : contentType, body, URI.create(url).toURL());
        } catch (UnknownFormatException | IOException e) {
            throw new IllegalArgumentException("sitemap " + url + " could not be read: " + e.getMessage(), e);
        }
        List<String> pages = new ArrayList<>();
        List<String> sitemaps = new ArrayList<>();
        if (map instanceof SiteMapIndex index) {
            for (AbstractSiteMap child : index.getSitemaps()) {
                sitemaps.add(child.getUrl().toString());
            }
        } else if (map instanceof SiteMap siteMap) {
            for (SiteMapURL entry : siteMap.getSiteMapUrls()) {
                pages.add(entry.getUrl().toString());
            }
        }
        return new Content(List.copyOf(pages), List.copyOf(sitemaps));
    }

    /** The conventional sitemap of a host, fetched when robots.txt names none: {@code /sitemap.xml}. */
    static String defaultLocation(String siteRoot) {
        try {
            return URI.create(siteRoot).resolve("/sitemap.xml").toURL().toString();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("'" + siteRoot + "' is not a URL", e);
        }
    }
}
