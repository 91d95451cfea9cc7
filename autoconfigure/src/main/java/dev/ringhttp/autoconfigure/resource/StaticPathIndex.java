package dev.ringhttp.autoconfigure.resource;

import dev.ringhttp.core.HttpRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Finds the static file for a request path by comparing the path in place
 * ({@link HttpRequest#pathEquals}, {@link HttpRequest#pathStartsWith}), so
 * that neither a hit nor a miss allocates: the index is asked before the
 * routes, for every request.
 *
 * <p>The paths form a tree of directories. A lookup compares the path with
 * the entries of the root directory (its files, then its subdirectories'
 * prefixes) and descends into the one subdirectory whose prefix the path
 * starts with, so it costs the entries along one branch, not all paths. A
 * directory with more than {@value #IN_PLACE_LIMIT} entries is looked up in a
 * hash map instead, which takes the path as a {@code String}: one small
 * allocation per request that reaches that directory (and per request at all
 * when it is the root).
 *
 * <p>Paths are compared exactly as sent, still percent-encoded; only the
 * loaded paths can match, so no request path, however crafted ({@code ..},
 * {@code %2F}, backslashes), reaches anything else.
 */
final class StaticPathIndex {

    /** Entries of one directory compared one by one; a larger directory is hashed. */
    static final int IN_PLACE_LIMIT = 64;

    private final Directory root;
    private final int size;

    /** @param paths request paths (each starting with {@code /}) and their files */
    StaticPathIndex(Map<String, StaticFile> paths) {
        this.root = Directory.of("/", new TreeMap<>(paths));
        this.size = paths.size();
    }

    int size() {
        return size;
    }

    /** The file for the request's path, or null. */
    @Nullable StaticFile find(HttpRequest request) {
        Directory directory = root;
        while (directory != null) {
            if (directory.hashed != null) {
                return directory.hashed.get(request.path());
            }
            Directory next = null;
            for (int i = 0; i < directory.paths.length; i++) {
                if (request.pathEquals(directory.paths[i])) {
                    return directory.files[i];
                }
            }
            for (int i = 0; i < directory.subdirectories.length && next == null; i++) {
                if (request.pathStartsWith(directory.subdirectories[i].prefix)) {
                    next = directory.subdirectories[i];
                }
            }
            directory = next;
        }
        return null;
    }

    /**
     * One directory: the paths that end in it (its files, and its own prefix for its index) and its
     * subdirectories, or, when it has too many entries, one hash map of every path below it.
     */
    private static final class Directory {

        final String prefix;
        final String[] paths;
        final StaticFile[] files;
        final Directory[] subdirectories;
        final @Nullable Map<String, StaticFile> hashed;

        private Directory(String prefix, String[] paths, StaticFile[] files, Directory[] subdirectories,
                @Nullable Map<String, StaticFile> hashed) {
            this.prefix = prefix;
            this.paths = paths;
            this.files = files;
            this.subdirectories = subdirectories;
            this.hashed = hashed;
        }

        /** @param below every path that starts with {@code prefix}, sorted */
        static Directory of(String prefix, TreeMap<String, StaticFile> below) {
            List<String> paths = new ArrayList<>();
            List<StaticFile> files = new ArrayList<>();
            Map<String, TreeMap<String, StaticFile>> children = new TreeMap<>();
            below.forEach((path, file) -> {
                int slash = path.indexOf('/', prefix.length());
                if (slash < 0 || path.length() == prefix.length()) {
                    paths.add(path);
                    files.add(file);
                } else {
                    children.computeIfAbsent(path.substring(0, slash + 1), p -> new TreeMap<>()).put(path, file);
                }
            });
            if (paths.size() + children.size() > IN_PLACE_LIMIT) {
                return new Directory(prefix, new String[0], new StaticFile[0], new Directory[0], new HashMap<>(below));
            }
            Directory[] subdirectories = children.entrySet().stream()
                    .map(e -> of(e.getKey(), e.getValue())).toArray(Directory[]::new);
            return new Directory(prefix, paths.toArray(String[]::new), files.toArray(StaticFile[]::new),
                    subdirectories, null);
        }
    }
}
