package dev.ringhttp.autoconfigure.resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;

/**
 * Reads every file below the static locations into one block of direct
 * memory, within a size limit, and computes the header values of each.
 *
 * <p>A location is a Spring resource location such as
 * {@code classpath:/static/} or {@code file:/srv/www/}. A {@code classpath:}
 * location covers that directory in every classpath root, as a request for a
 * file there would find it in any jar; where two roots or two locations hold
 * the same name, the first wins.
 */
public final class StaticResourceLoader {

    /** IMF-fixdate (RFC 9110 section 5.6.7): always a two-digit day, unlike {@code RFC_1123_DATE_TIME}. */
    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** Bytes of the content hash that make the ETag: 96 bits, 24 hex digits. */
    private static final int ETAG_HASH_BYTES = 12;
    /** The largest block of direct memory one {@code ByteBuffer} can hold. */
    static final long MAX_BLOCK = Integer.MAX_VALUE - 8;

    private static final String CHARSET_UTF8 = "; charset=utf-8";
    private static final String CLASSPATH = "classpath:";
    private static final String ALL_CLASSPATH_ROOTS = "classpath*:";

    private final ResourcePatternResolver resolver;
    private final String limitProperty;

    /**
     * @param limitProperty the property that sets the size limit, named when it is exceeded
     */
    public StaticResourceLoader(ResourcePatternResolver resolver, String limitProperty) {
        this.resolver = resolver;
        this.limitProperty = limitProperty;
    }

    /**
     * Loads the files of {@code locations}.
     *
     * @throws IllegalStateException if they total more than {@code maxTotalBytes}, naming the limit's property
     * @throws UncheckedIOException  if a file cannot be read
     */
    public StaticResources load(List<String> locations, long maxTotalBytes) {
        if (maxTotalBytes < 0 || maxTotalBytes > MAX_BLOCK) {
            throw new IllegalArgumentException(limitProperty + " must be between 0 and " + MAX_BLOCK + " bytes, not "
                    + maxTotalBytes);
        }
        Map<String, Resource> found = new LinkedHashMap<>();
        for (String location : locations) {
            String directory = location.endsWith("/") ? location : location + "/";
            try {
                for (Resource root : resolver.getResources(rootsOf(directory))) {
                    collect(root, found);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the static location " + location, e);
            }
        }
        Map<String, byte[]> contents = new TreeMap<>();
        long total = 0;
        for (Map.Entry<String, Resource> e : found.entrySet()) {
            byte[] bytes = read(e.getValue(), maxTotalBytes - total);
            if (bytes == null) {
                throw new IllegalStateException("The static resources in " + locations + " exceed " + limitProperty
                        + " (" + maxTotalBytes + " bytes) at " + e.getKey() + ": raise " + limitProperty
                        + ", serve large files elsewhere, or set ringhttp.static.enabled=false");
            }
            contents.put(e.getKey(), bytes);
            total += bytes.length;
        }
        // One block for all files, so they cost one direct allocation and no per-buffer overhead.
        ByteBuffer block = ByteBuffer.allocateDirect((int) total);
        TreeMap<String, StaticFile> files = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : contents.entrySet()) {
            byte[] bytes = e.getValue();
            int start = block.position();
            block.put(bytes);
            ByteBuffer body = block.slice(start, bytes.length).asReadOnlyBuffer();
            files.put(e.getKey(), describe(e.getKey(), body, bytes, found.get(e.getKey())));
        }
        return new StaticResources(locations, files, total);
    }

    /** The pattern that finds the location's directory in every classpath root, or the location itself. */
    private static String rootsOf(String directory) {
        return directory.startsWith(CLASSPATH)
                ? ALL_CLASSPATH_ROOTS + directory.substring(CLASSPATH.length()) : directory;
    }

    /** Adds every file below {@code root} by its name relative to it, unless an earlier root had that name. */
    private void collect(Resource root, Map<String, Resource> found) throws IOException {
        if (!root.exists()) {
            return;
        }
        if (root.isFile()) {
            Path rootPath = root.getFile().toPath();
            for (Resource r : resolver.getResources(root.getURL() + "**")) {
                if (r.isFile() && r.getFile().isFile()) {
                    String name = rootPath.relativize(r.getFile().toPath()).toString().replace('\\', '/');
                    found.putIfAbsent(name, r);
                }
            }
            return;
        }
        String rootUrl = root.getURL().toString();
        for (Resource r : resolver.getResources(rootUrl + "**")) {
            String url = r.getURL().toString();
            // Directory entries of a jar end with '/'; a file's URL lies below its root's.
            if (url.startsWith(rootUrl) && !url.endsWith("/") && r.isReadable()) {
                found.putIfAbsent(url.substring(rootUrl.length()), r);
            }
        }
    }

    /** The file's bytes, or null if it has more than {@code budget}. */
    private static byte[] read(Resource resource, long budget) {
        try (InputStream in = resource.getInputStream()) {
            // Read one byte past the budget rather than trust a length the resource may not know.
            byte[] bytes = in.readNBytes((int) Math.min(budget + 1, MAX_BLOCK));
            return bytes.length > budget ? null : bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the static resource " + resource, e);
        }
    }

    private static StaticFile describe(String name, ByteBuffer body, byte[] bytes, Resource resource) {
        long modified = lastModified(resource);
        long seconds = modified > 0 ? modified / 1000 : -1;
        String lastModified = seconds >= 0 ? HTTP_DATE.format(Instant.ofEpochSecond(seconds)) : null;
        return new StaticFile(name, body, contentType(name), etag(bytes), lastModified, seconds);
    }

    private static long lastModified(Resource resource) {
        try {
            return resource.lastModified();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The media type of the name's extension; text is declared UTF-8, the encoding of the web. */
    static String contentType(String name) {
        MediaType type = MediaTypeFactory.getMediaType(name).orElse(MediaType.APPLICATION_OCTET_STREAM);
        String value = type.toString();
        boolean textual = type.getType().equals("text") || type.getSubtype().equals("javascript")
                || type.getSubtype().equals("json");
        return textual && type.getCharset() == null ? value + CHARSET_UTF8 : value;
    }

    /** A strong validator: the same bytes give the same tag on every instance and every start. */
    static String etag(byte[] bytes) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
            return '"' + HexFormat.of().formatHex(hash, 0, ETAG_HASH_BYTES) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
