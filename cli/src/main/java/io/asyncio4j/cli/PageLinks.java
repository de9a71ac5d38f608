package io.asyncio4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.NodeTraversor;

/**
 * What {@code crawl} takes from one HTML page: its title, the links it may follow, and whether the page
 * asks not to be indexed.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * PageLinks page = PageLinks.parse(html, "http://example.com/docs/", UrlNormalizer.standard());
 * page.title();   // "Docs"
 * page.links();   // normalised absolute URLs, each once, in document order
 * }</pre>
 *
 * <h2>Where links come from</h2>
 * <ul>
 *   <li>{@code <a href>} and {@code <area href>}, except those with {@code rel="nofollow"};
 *   <li>{@code <link rel="next">} and {@code <link rel="canonical">};
 *   <li>{@code <meta http-equiv="refresh" content="5; url=...">};
 * </ul>
 * all resolved against {@code <base href>} when the page has one, else against the page's own URL, then
 * normalised; references that are not http(s) ({@code mailto:}, {@code javascript:}) are dropped.
 * {@code <meta name="robots" content="nofollow">} (or {@code none}) empties the list;
 * {@code noindex} only sets {@link #noindex()}, since the page was fetched already and its links may
 * still be followed. HTML is parsed by jsoup, which reads real-world markup as browsers do.
 *
 * @param title   the text of {@code <title>}, or empty when there is none
 * @param links   the links to follow, normalised, each once, in document order
 * @param noindex whether {@code <meta name=robots>} says {@code noindex} (or {@code none})
 */
record PageLinks(String title, List<String> links, boolean noindex) {

    private static final Pattern REFRESH_URL = Pattern.compile("(?i)url\\s*=\\s*['\"]?([^'\"]+)['\"]?");

    /**
     * Parses a page.
     *
     * @param html       the page's text
     * @param pageUrl    the URL the page was fetched from (after redirects)
     * @param normalizer how the found links are normalised
     */
    static PageLinks parse(String html, String pageUrl, UrlNormalizer normalizer) {
        Document doc = Jsoup.parse(html, pageUrl);
        // one walk over the elements (not a select per kind): the references of each kind, in document order
        List<String> anchors = new ArrayList<>();
        List<String> linkRels = new ArrayList<>();
        List<String> refreshes = new ArrayList<>();
        Set<String> robots = new LinkedHashSet<>();
        String[] base = {null};
        NodeTraversor.traverse((node, depth) -> {
            if (!(node instanceof Element e)) {
                return;
            }
            switch (e.normalName()) {
                case "a", "area" -> {
                    if (e.hasAttr("href") && !relContains(e, "nofollow")) {
                        anchors.add(e.attr("href"));
                    }
                }
                case "link" -> {
                    if (e.hasAttr("href") && e.hasAttr("rel") && (relContains(e, "next") || relContains(e, "canonical"))) {
                        linkRels.add(e.attr("href"));
                    }
                }
                case "base" -> {
                    if (base[0] == null && e.hasAttr("href")) {
                        base[0] = e.attr("href");
                    }
                }
                case "meta" -> meta(e, robots, refreshes);
                default -> {
                }
            }
        }, doc);
        boolean nofollow = robots.contains("nofollow") || robots.contains("none");
        boolean noindex = robots.contains("noindex") || robots.contains("none");
        List<String> references = new ArrayList<>();
        if (!nofollow) {
            references.addAll(anchors);
            references.addAll(linkRels);
            references.addAll(refreshes);
        }
        // relative links resolve against the first <base href>, itself resolved, else against the page
        String against = base[0] == null ? pageUrl : normalizer.resolve(pageUrl, base[0]).orElse(pageUrl);
        return new PageLinks(doc.title(), normalizer.resolveAll(against, references), noindex);
    }

    /** A {@code <meta name=robots>}'s words, or a {@code <meta http-equiv=refresh>}'s URL. */
    private static void meta(Element meta, Set<String> robots, List<String> refreshes) {
        if (meta.attr("name").equalsIgnoreCase("robots")) {
            for (String word : meta.attr("content").toLowerCase(Locale.ROOT).split("[,\\s]+")) {
                robots.add(word);
            }
        }
        if (meta.attr("http-equiv").equalsIgnoreCase("refresh") && meta.hasAttr("content")) {
            Matcher m = REFRESH_URL.matcher(meta.attr("content"));
            if (m.find()) {
                refreshes.add(m.group(1).strip());
            }
        }
    }

    private static boolean relContains(Element e, String value) {
        String rel = e.attr("rel");
        if (rel.isEmpty()) {
            return false; // most links: no rel to split
        }
        for (String word : rel.toLowerCase(Locale.ROOT).split("\\s+")) {
            if (word.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a Content-Type names HTML (only HTML is parsed for links). */
    static boolean isHtml(String contentType) {
        if (contentType == null) {
            return false;
        }
        String mime = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return mime.equals("text/html") || mime.equals("application/xhtml+xml");
    }
}
