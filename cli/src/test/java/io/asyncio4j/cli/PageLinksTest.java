package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class PageLinksTest {

    private static PageLinks parse(String html) {
        return PageLinks.parse(html, "http://site.test/docs/page.html", UrlNormalizer.standard());
    }

    @Test
    void findsAnchorsNextCanonicalAndMetaRefreshOnceEachInDocumentOrder() {
        PageLinks p = parse("""
                <html><head><title> The page </title>
                <link rel="canonical" href="/docs/page.html">
                <link rel="stylesheet" href="/style.css">
                <link rel="next" href="page2.html">
                <meta http-equiv="Refresh" content="5; URL='/moved.html'">
                </head><body>
                <a href="a.html#part">A</a> <a href="./a.html">A again</a>
                <a href="../up/">Up</a> <a href="mailto:x@site.test">mail</a> <a href="javascript:void(0)">js</a>
                <a href="http://Other.TEST:80/x">other host</a> <a>no href</a>
                <map><area href="area.html"></map>
                </body></html>
                """);
        assertEquals("The page", p.title());
        assertEquals(List.of("http://site.test/docs/a.html", "http://site.test/up/", "http://other.test/x",
                "http://site.test/docs/area.html", "http://site.test/docs/page.html", "http://site.test/docs/page2.html",
                "http://site.test/moved.html"), p.links());
        assertFalse(p.noindex());
    }

    @Test
    void baseHrefChangesWhereRelativeLinksPoint() {
        PageLinks p = parse("""
                <html><head><base href="/other/dir/"></head>
                <body><a href="x.html">x</a><a href="/abs.html">abs</a></body></html>
                """);
        assertEquals(List.of("http://site.test/other/dir/x.html", "http://site.test/abs.html"), p.links());
    }

    @Test
    void relNofollowLinksAreNotFollowed() {
        PageLinks p = parse("<a href='kept.html'>k</a><a rel='external nofollow' href='skipped.html'>s</a>");
        assertEquals(List.of("http://site.test/docs/kept.html"), p.links());
    }

    @Test
    void metaRobotsNofollowEmptiesTheLinksAndNoindexIsReported() {
        PageLinks nofollow = parse("<meta name='robots' content='noindex, nofollow'><a href='x.html'>x</a>");
        assertEquals(List.of(), nofollow.links());
        assertTrue(nofollow.noindex());
        PageLinks noindexOnly = parse("<meta name='ROBOTS' content='noindex'><a href='x.html'>x</a>");
        assertEquals(List.of("http://site.test/docs/x.html"), noindexOnly.links());
        assertTrue(noindexOnly.noindex());
        assertEquals(List.of(), parse("<meta name='robots' content='none'><a href='x.html'>x</a>").links());
    }

    @Test
    void onlyHtmlContentTypesAreParsed() {
        assertTrue(PageLinks.isHtml("text/html; charset=utf-8"));
        assertTrue(PageLinks.isHtml("application/xhtml+xml"));
        assertFalse(PageLinks.isHtml("application/pdf"));
        assertFalse(PageLinks.isHtml("text/plain"));
        assertFalse(PageLinks.isHtml(null));
    }
}
