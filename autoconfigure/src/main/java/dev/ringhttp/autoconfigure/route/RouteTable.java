package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpMethod;
import dev.ringhttp.core.HttpRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Every route of the application, ordered as Spring MVC orders patterns
 * (most specific first), with a lookup that compares literal paths in place
 * and parses the path only when a pattern has to be matched.
 */
public final class RouteTable {

    /** What a lookup found. {@code route} is null when nothing answers the method. */
    record Match(@Nullable Route route, Map<String, String> variables, boolean pathMatched, Set<HttpMethod> allowed) {
    }

    private static final Match NOT_FOUND = new Match(null, Map.of(), false, Set.of());

    private final Route[] literals;
    /** One fixed result per literal route, so the literal fast path allocates nothing. */
    private final Match[] literalMatches;
    private final Route[] all;

    RouteTable(List<Route> routes) {
        checkClashes(routes);
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparing(Route::pattern, PathPattern.SPECIFICITY_COMPARATOR));
        this.all = sorted.toArray(Route[]::new);
        this.literals = sorted.stream().filter(r -> r.literalPath() != null).toArray(Route[]::new);
        this.literalMatches = new Match[literals.length];
        for (int i = 0; i < literals.length; i++) {
            literalMatches[i] = new Match(literals[i], Map.of(), true, Set.of());
        }
    }

    static PathPatternParser parser() {
        return PathPatternParser.defaultInstance;
    }

    /** Routes in matching order, for descriptions and tests. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Route r : all) {
            out.add(r.toString());
        }
        return out;
    }

    /** Every route in matching order, for {@code /actuator/mappings}. */
    public List<RouteMapping> mappings() {
        List<RouteMapping> out = new ArrayList<>();
        for (Route r : all) {
            EnumSet<HttpMethod> methods = EnumSet.noneOf(HttpMethod.class);
            for (HttpMethod m : HttpMethod.values()) {
                if (r.declares(m)) {
                    methods.add(m);
                }
            }
            out.add(new RouteMapping(methods, r.patternString(), r.method()));
        }
        return out;
    }

    /** Whether some route's pattern matches {@code path}, whatever its methods: the path belongs to the routes. */
    public boolean matchesPath(String path) {
        PathContainer parsed = PathContainer.parsePath(path);
        for (Route r : all) {
            if (r.pattern().matches(parsed)) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return all.length;
    }

    /**
     * Finds the route for {@code request}'s path and {@code method}. The
     * common case, a literal route that accepts the method, allocates nothing.
     */
    Match find(HttpRequest request, HttpMethod method) {
        boolean literalPathMatched = false;
        for (int i = 0; i < literals.length; i++) {
            Route r = literals[i];
            if (request.pathEquals(r.literalPath())) {
                if (r.accepts(method)) {
                    return literalMatches[i];
                }
                literalPathMatched = true;
            }
        }
        PathContainer path = PathContainer.parsePath(request.path());
        Route found = null;
        Map<String, String> variables = Map.of();
        EnumSet<HttpMethod> allowed = EnumSet.noneOf(HttpMethod.class);
        boolean pathMatched = literalPathMatched;
        for (Route r : all) {
            PathPattern.PathMatchInfo info = r.pattern().matchAndExtract(path);
            if (info == null) {
                continue;
            }
            pathMatched = true;
            if (found == null && r.accepts(method)) {
                found = r;
                variables = info.getUriVariables();
            }
            for (HttpMethod m : HttpMethod.values()) {
                if (r.accepts(m)) {
                    allowed.add(m);
                }
            }
        }
        if (!pathMatched) {
            return NOT_FOUND;
        }
        return new Match(found, variables, true, allowed);
    }

    /** The {@code Allow} header value for a path: the methods its routes answer, plus OPTIONS. */
    static String allowHeader(Set<HttpMethod> allowed) {
        StringJoiner joined = new StringJoiner(", ");
        for (HttpMethod m : HttpMethod.values()) {
            if (allowed.contains(m) || m == HttpMethod.OPTIONS) {
                joined.add(m.name());
            }
        }
        return joined.toString();
    }

    /**
     * Two routes clash when one method would be answered by both for every
     * path: the same method and the same pattern up to variable names.
     */
    private static void checkClashes(List<Route> routes) {
        Map<String, Route> seen = new TreeMap<>();
        for (Route r : routes) {
            String shape = shapeOf(r.patternString());
            for (HttpMethod m : HttpMethod.values()) {
                if (!r.declares(m)) {
                    continue;
                }
                Route other = seen.putIfAbsent(m + " " + shape, r);
                if (other != null) {
                    throw new IllegalStateException("@HttpRoute clash: " + m + " " + r.patternString() + " is mapped by both "
                            + other.invoker().description() + " (" + other.patternString() + ") and "
                            + r.invoker().description());
                }
            }
        }
    }

    /** The pattern with variable names erased: {@code /users/{id}} and {@code /users/{name}} have one shape. */
    static String shapeOf(String pattern) {
        return pattern.replaceAll("\\{\\*[^}/]*}", "{*}").replaceAll("\\{([^}:/*]+)(:[^}]*)?}", "{$2}");
    }
}
