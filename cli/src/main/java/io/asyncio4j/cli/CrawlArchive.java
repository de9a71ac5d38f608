package io.asyncio4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.asyncio4j.http.Response;
import org.netpreserve.jwarc.HttpRequest;
import org.netpreserve.jwarc.HttpResponse;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.MessageVersion;
import org.netpreserve.jwarc.WarcRequest;
import org.netpreserve.jwarc.WarcResponse;
import org.netpreserve.jwarc.WarcWriter;

/**
 * What {@code crawl} keeps of the responses besides their lines: the bodies under a directory
 * ({@code --save DIR}) and a WARC 1.1 file of every request and response ({@code --warc FILE}).
 *
 * <h2>--save</h2>
 * The body of each 2xx response is stored at {@code DIR/HOST[_PORT]/PATH} ({@link #savePath}): a path ending
 * in {@code /} gets {@code index.html}; a query string becomes part of the file name ({@code search%3Fq=x});
 * characters outside {@code A-Z a-z 0-9 . _ ~ , = + @ -} and {@code %} are percent-encoded, so every URL has
 * one stable name, a segment never reads as {@code ..}, and a name too long for a file system is cut and
 * given a hash of the whole. When {@code /a} was stored as a file and {@code /a/b} comes, the file moves to
 * {@code a/index.html}. A rerun overwrites what it fetches again.
 *
 * <h2>--warc</h2>
 * For each response, a {@code request} record (the request line and the headers {@code crawl} sends) and a
 * {@code response} record (status line, headers and body, as received), written with jwarc, the library of
 * the web-archiving community, so that standard WARC tools (pywb, warcio, OpenWayback) read the file. Bodies
 * are asked for with {@code Accept-Encoding: identity}, so that the stored bytes are the bytes sent; a
 * chunked body is stored de-chunked with a {@code Content-Length}. The file resumes as the JSON lines do
 * ({@link CrawlOutput}): a rerun cuts it back to the length recorded with the last committed batch, so no
 * record of a page is written twice.
 *
 * <p>Thread-safety: none; used by the tasks of one loop.
 */
final class CrawlArchive implements AutoCloseable {

    /** The name under which the WARC file's committed length is kept in the state file. */
    static final String WARC_OFFSET = "warc";
    private static final int MAX_NAME = 200;
    private static final String SAFE = "._~,=+@-%";

    private final Path saveDir;
    private final CrawlOutput warcFile;
    private final WarcWriter warc;
    private final String userAgent;

    private CrawlArchive(Path saveDir, CrawlOutput warcFile, WarcWriter warc, String userAgent) {
        this.saveDir = saveDir;
        this.warcFile = warcFile;
        this.warc = warc;
        this.userAgent = userAgent;
    }

    /**
     * @param saveDir       {@code --save}, or null
     * @param warcPath      {@code --warc}, or null
     * @param warcCommitted the WARC file's length recorded in the state file, -1 for a new crawl
     * @return null when neither is asked for
     * @throws IOException when the directory cannot be made or the file opened (or it is shorter than recorded)
     */
    static CrawlArchive open(Path saveDir, Path warcPath, long warcCommitted, String userAgent) throws IOException {
        if (saveDir == null && warcPath == null) {
            return null;
        }
        if (saveDir != null) {
            Files.createDirectories(saveDir);
        }
        CrawlOutput file = warcPath == null ? null : CrawlOutput.open(warcPath, warcCommitted);
        WarcWriter writer = file == null ? null : new WarcWriter(file.channel());
        return new CrawlArchive(saveDir == null ? null : saveDir.toAbsolutePath().normalize(), file, writer, userAgent);
    }

    /** Headers every page request carries: with a WARC file, {@code Accept-Encoding: identity}. */
    Map<String, String> requestHeaders() {
        return warc == null ? Map.of() : Map.of("Accept-Encoding", "identity");
    }

    /** Stores one response (its body read) of {@code url}. */
    void store(String url, Response r) {
        try {
            if (saveDir != null && r.status() / 100 == 2) {
                save(savePath(saveDir, url), r.bytes());
            }
            if (warc != null) {
                writeWarc(url, r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + url + ": " + e.getMessage(), e);
        }
    }

    /** The lengths to record with a commit: the WARC file's, when there is one. */
    Map<String, Long> offsets() {
        return warc == null ? Map.of() : Map.of(WARC_OFFSET, warcFile.write());
    }

    private void writeWarc(String url, Response r) throws IOException {
        URI uri = URI.create(url);
        Instant now = Instant.now();
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        HttpRequest.Builder req = new HttpRequest.Builder("GET", target).version(MessageVersion.HTTP_1_1)
                .addHeader("Host", uri.getRawAuthority()).addHeader("User-Agent", userAgent)
                .addHeader("Accept-Encoding", "identity");
        WarcRequest request = new WarcRequest.Builder(uri).date(now).version(MessageVersion.WARC_1_1)
                .body(req.build()).build();
        byte[] body = r.bytes();
        HttpResponse.Builder resp = new HttpResponse.Builder(r.status(), Reply.reason(r.status()))
                .version(MessageVersion.HTTP_1_1);
        r.headers().map().forEach((name, values) -> {
            String n = name.toLowerCase(Locale.ROOT);
            if (!n.equals("transfer-encoding") && !n.equals("content-length") && !n.equals("content-type")) {
                values.forEach(v -> resp.addHeader(name, v));
            }
        });
        String type = r.headers().firstValue("content-type").orElse("application/octet-stream");
        MediaType media;
        try {
            media = MediaType.parse(type);
        } catch (IllegalArgumentException e) {
            media = MediaType.OCTET_STREAM;
        }
        resp.body(media, body);
        if (r.headers().firstValue("content-type").isPresent()) {
            resp.setHeader("Content-Type", type); // as received, not as jwarc would spell it
        }
        WarcResponse response = new WarcResponse.Builder(uri).date(now).version(MessageVersion.WARC_1_1)
                .body(resp.build()).concurrentTo(request.id()).build();
        warc.write(request);
        warc.write(response);
    }

    private static void save(Path file, byte[] body) throws IOException {
        Path dir = file.getParent();
        makeDirectories(dir);
        if (Files.isDirectory(file)) {
            file = file.resolve("index.html");
        }
        Path temp = file.resolveSibling("." + file.getFileName() + ".part");
        Files.write(temp, body);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Creates {@code dir} and its parents; a file in the way (an earlier {@code /a}) moves to {@code a/index.html}. */
    private static void makeDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        makeDirectories(dir.getParent());
        if (Files.isRegularFile(dir)) {
            Path moved = dir.resolveSibling("." + dir.getFileName() + ".moving");
            Files.move(dir, moved, StandardCopyOption.REPLACE_EXISTING);
            Files.createDirectory(dir);
            Files.move(moved, dir.resolve("index.html"));
        } else {
            Files.createDirectories(dir);
        }
    }

    /**
     * Where {@code --save} stores the body of the normalised {@code url}: see the class comment.
     *
     * @throws IllegalArgumentException if the result would leave {@code dir} (it cannot, by construction;
     *                                  checked all the same)
     */
    static Path savePath(Path dir, String url) {
        URI uri = URI.create(url);
        String host = uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() < 0 ? "" : "_" + uri.getPort());
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        List<String> segments = List.of(path.substring(1).split("/", -1));
        Path out = dir.resolve(name(host));
        for (int i = 0; i < segments.size(); i++) {
            String seg = segments.get(i);
            boolean last = i == segments.size() - 1;
            if (last) {
                if (seg.isEmpty()) {
                    seg = "index.html";
                }
                if (uri.getRawQuery() != null) {
                    seg = seg + "?" + uri.getRawQuery();
                }
            }
            out = out.resolve(name(seg));
        }
        Path normal = out.normalize();
        if (!normal.startsWith(dir.normalize()) || normal.equals(dir.normalize())) {
            throw new IllegalArgumentException("'" + url + "' maps outside " + dir);
        }
        return normal;
    }

    /** One safe file name for a URL segment (percent-encoded as needed, cut with a hash when too long). */
    static String name(String segment) {
        StringBuilder b = new StringBuilder();
        for (byte c : segment.getBytes(StandardCharsets.UTF_8)) {
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || SAFE.indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(HexFormat.of().withUpperCase().toHexDigits(c));
            }
        }
        String s = b.isEmpty() ? "_" : b.toString();
        if (s.equals(".") || s.equals("..")) {
            s = s.replace(".", "%2E");
        }
        if (s.length() > MAX_NAME) {
            s = s.substring(0, MAX_NAME - 17) + "-" + sha256(segment).substring(0, 16);
        }
        return s;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes and closes the WARC file. */
    @Override
    public void close() throws IOException {
        if (warcFile != null) {
            warcFile.close();
        }
    }
}
