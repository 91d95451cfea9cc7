package dev.ringhttp.autoconfigure.resource;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.HttpRequest;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lookups in both forms of a directory: compared in place, and hashed when it has many entries. */
class StaticPathIndexTests {

    @Test
    void findsFilesDirectoryIndexesAndNothingElse() {
        Map<String, StaticFile> paths = new LinkedHashMap<>();
        StaticFile root = file("index.html");
        StaticFile a = file("a");
        StaticFile nested = file("ab/c/d.txt");
        StaticFile docs = file("docs/index.html");
        paths.put("/", root);
        paths.put("/index.html", root);
        paths.put("/a", a);
        paths.put("/ab/c/d.txt", nested);
        paths.put("/docs/", docs);
        paths.put("/docs/index.html", docs);
        StaticPathIndex index = new StaticPathIndex(paths);

        assertThat(index.find(request("/"))).isSameAs(root);
        assertThat(index.find(request("/index.html"))).isSameAs(root);
        assertThat(index.find(request("/a"))).isSameAs(a);
        assertThat(index.find(request("/ab/c/d.txt"))).isSameAs(nested);
        assertThat(index.find(request("/docs/"))).isSameAs(docs);
        for (String miss : new String[] {"/ab", "/ab/", "/ab/c/", "/ab/c/d.txtx", "/a/", "/docs", "/doc", "",
                "/ab/c/../c/d.txt", "//a"}) {
            assertThat(index.find(request(miss))).as(miss).isNull();
        }
    }

    @Test
    void aDirectoryWithManyEntriesIsHashed() {
        Map<String, StaticFile> paths = new LinkedHashMap<>();
        for (int i = 0; i <= StaticPathIndex.IN_PLACE_LIMIT; i++) {
            paths.put("/assets/f" + i + ".js", file("assets/f" + i + ".js"));
        }
        paths.put("/assets/deep/x.css", file("assets/deep/x.css"));
        paths.put("/robots.txt", file("robots.txt"));
        StaticPathIndex index = new StaticPathIndex(paths);

        assertThat(index.size()).isEqualTo(paths.size());
        paths.forEach((path, file) -> assertThat(index.find(request(path))).as(path).isSameAs(file));
        assertThat(index.find(request("/assets/f9999.js"))).isNull();
        assertThat(index.find(request("/assets/"))).isNull();
    }

    private static StaticFile file(String name) {
        return new StaticFile(name, ByteBuffer.allocate(0), "text/plain", "\"0\"", null, -1);
    }

    /** A request that knows only its path, which is all the index asks. */
    private static HttpRequest request(String path) {
        return (HttpRequest) Proxy.newProxyInstance(HttpRequest.class.getClassLoader(),
                new Class<?>[] {HttpRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "path" -> path;
                    case "pathEquals" -> path.contentEquals((CharSequence) args[0]);
                    case "pathStartsWith" -> path.startsWith(args[0].toString());
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
