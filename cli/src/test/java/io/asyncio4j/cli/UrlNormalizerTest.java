package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UrlNormalizerTest {

    private final UrlNormalizer standard = UrlNormalizer.standard();

    /** RFC 3986 section 5.4.1 ("normal examples") and 5.4.2 ("abnormal examples"), base http://a/b/c/d;p?q. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            g           | http://a/b/c/g
            ./g         | http://a/b/c/g
            g/          | http://a/b/c/g/
            /g          | http://a/g
            //g         | http://g/
            ?y          | http://a/b/c/d;p?y
            g?y         | http://a/b/c/g?y
            #s          | http://a/b/c/d;p?q
            g#s         | http://a/b/c/g
            g?y#s       | http://a/b/c/g?y
            ;x          | http://a/b/c/;x
            g;x         | http://a/b/c/g;x
            ''          | http://a/b/c/d;p?q
            .           | http://a/b/c/
            ./          | http://a/b/c/
            ..          | http://a/b/
            ../         | http://a/b/
            ../g        | http://a/b/g
            ../..       | http://a/
            ../../      | http://a/
            ../../g     | http://a/g
            ../../../g  | http://a/g
            ../../../../g | http://a/g
            /./g        | http://a/g
            /../g       | http://a/g
            g.          | http://a/b/c/g.
            .g          | http://a/b/c/.g
            g..         | http://a/b/c/g..
            ..g         | http://a/b/c/..g
            ./../g      | http://a/b/g
            ./g/.       | http://a/b/c/g/
            g/./h       | http://a/b/c/g/h
            g/../h      | http://a/b/c/h
            g;x=1/./y   | http://a/b/c/g;x=1/y
            g;x=1/../y  | http://a/b/c/y
            """)
    void resolvesTheReferencesOfRfc3986AgainstItsBase(String reference, String expected) {
        assertEquals(Optional.of(expected), standard.resolve("http://a/b/c/d;p?q", reference));
    }

    /** RFC 3986 section 6.2.2: case, percent-encoding and path segment normalisation; 6.2.3: scheme-based. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            HTTP://www.Example.COM/                       | http://www.example.com/
            http://example.com/a%c2%b1b                   | http://example.com/a%C2%B1b
            http://example.com/%7Euser/%41%62%2d%5f%2e     | http://example.com/~user/Ab-_.
            http://example.com/a%2Fb                      | http://example.com/a%2Fb
            http://example.com/a/./b/../c/./d.html        | http://example.com/a/c/d.html
            http://example.com                            | http://example.com/
            http://example.com:80/x                       | http://example.com/x
            https://example.com:443/x                     | https://example.com/x
            http://example.com:443/x                      | http://example.com:443/x
            https://example.com:8443/x                    | https://example.com:8443/x
            http://example.com/x#section-2                | http://example.com/x
            http://example.com/a b                        | http://example.com/a%20b
            http://example.com/caf\u00e9                   | http://example.com/caf%C3%A9
            http://example.com/100%                       | http://example.com/100%25
            http://example.com/?q=a%20b&r=%7e             | http://example.com/?q=a%20b&r=~
            http://EXAMPLE.com./                          | http://example.com/
            http://b\u00fccher.example/                    | http://xn--bcher-kva.example/
            """)
    void normalisesCaseEscapesDotSegmentsPortsAndFragments(String url, String expected) {
        assertEquals(expected, standard.normalize(url.translateEscapes()));
    }

    @Test
    void twoSpellingsOfOneResourceNormaliseToTheSameUrl() {
        assertEquals(standard.normalize("HTTP://Example.com:80/%7efoo/./bar/../baz#x"),
                standard.normalize("http://example.com/~foo/baz"));
    }

    @Test
    void stripsQueryParametersMatchingAPatternAndSortsTheRestWhenAsked() {
        UrlNormalizer n = new UrlNormalizer(List.of("utm_*", "sessionid"), true);
        assertEquals("http://example.com/p?a=1&b=2&b=0",
                n.normalize("http://example.com/p?b=2&utm_source=x&a=1&sessionid=9&utm_medium=y&b=0"));
        assertEquals("http://example.com/p", n.normalize("http://example.com/p?utm_source=x"));
        assertEquals("http://example.com/p?z=1&a=2",
                new UrlNormalizer(List.of("utm_*"), false).normalize("http://example.com/p?z=1&utm_x=3&a=2"));
    }

    @Test
    void refusesWhatIsNotAnHttpUrl() {
        for (String ref : new String[] {"mailto:a@example.com", "javascript:void(0)", "ftp://example.com/",
                "data:text/plain,x", "http:///nohost", "http://[bad/"}) {
            assertEquals(Optional.empty(), standard.resolve("http://example.com/", ref), ref);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> standard.normalize("example.com"));
        assertEquals("'example.com' is not an http or https URL (example: https://example.com/)", e.getMessage());
    }

    @Test
    void resolvesAgainstABaseWithoutPath() {
        assertEquals(Optional.of("http://example.com/b"), standard.resolve("http://example.com", "b"));
        assertEquals(Optional.of("http://example.com/?x=1"), standard.resolve("http://example.com", "?x=1"));
    }

    /** resolveAll is resolve for each reference (the RFC's table again), each result once, in first-met order. */
    @Test
    void resolvingAPagesReferencesTogetherGivesEachResolvedUrlOnceInTheOrderFirstMet() {
        List<String> refs = List.of("g", "#s", "g#s", "./g", "mailto:a@example.com", "../..", "?y", "http://[bad/",
                "  g?y#s ", "", "HTTP://B\u00fccher.example/x#1".translateEscapes(), "g;x=1/../y");
        List<String> oneByOne = refs.stream().map(r -> standard.resolve("http://a/b/c/d;p?q", r))
                .flatMap(Optional::stream).distinct().toList();
        assertEquals(List.of("http://a/b/c/g", "http://a/b/c/d;p?q", "http://a/", "http://a/b/c/d;p?y",
                "http://a/b/c/g?y", "http://xn--bcher-kva.example/x", "http://a/b/c/y"), oneByOne);
        assertEquals(oneByOne, standard.resolveAll("http://a/b/c/d;p?q", refs));
    }
}
