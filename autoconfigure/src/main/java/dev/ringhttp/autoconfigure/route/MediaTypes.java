package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/**
 * What one route consumes and produces, from {@code @HttpRoute}'s {@code consumes} and
 * {@code produces}, checked against each request as Spring MVC does: a body of a type not
 * consumed is 415 (with {@code Accept}), an {@code Accept} that no produced type satisfies is
 * 406. A route that declares neither costs nothing per request.
 */
final class MediaTypes {

    /** Declares nothing: every request passes, and the answer's type is the return value's. */
    static final MediaTypes ANY = new MediaTypes(List.of(), List.of());

    private final List<MediaType> consumes;
    private final List<MediaType> produces;

    private MediaTypes(List<MediaType> consumes, List<MediaType> produces) {
        this.consumes = consumes;
        this.produces = produces;
    }

    /** Parses the declared types; a type that does not parse fails start-up, naming the route. */
    static MediaTypes of(String[] consumes, String[] produces, String route) {
        if (consumes.length == 0 && produces.length == 0) {
            return ANY;
        }
        try {
            return new MediaTypes(MediaType.parseMediaTypes(List.of(consumes)), MediaType.parseMediaTypes(List.of(produces)));
        } catch (InvalidMediaTypeException e) {
            throw new IllegalStateException("@HttpRoute " + route + ": " + e.getMessage(), e);
        }
    }

    @Nullable MediaType negotiate(HttpRequest request) {
        if (this == ANY) {
            return null;
        }
        if (!consumes.isEmpty()) {
            MediaType sent = parse(request.header("Content-Type"));
            if (sent == null || consumes.stream().noneMatch(c -> c.includes(sent))) {
                throw new UnsupportedMediaTypeStatusException(sent, consumes);
            }
        }
        if (produces.isEmpty()) {
            return null;
        }
        String accept = request.header("Accept");
        if (accept == null || accept.isBlank()) {
            return produces.get(0);
        }
        List<MediaType> acceptable;
        try {
            acceptable = new ArrayList<>(MediaType.parseMediaTypes(accept));
        } catch (InvalidMediaTypeException e) {
            throw new NotAcceptableStatusException("Accept '" + accept + "' does not parse");
        }
        // Highest quality first; a stable sort keeps the client's order among equals.
        acceptable.sort(Comparator.comparingDouble(MediaType::getQualityValue).reversed());
        for (MediaType wanted : acceptable) {
            if (wanted.getQualityValue() == 0) {
                continue;
            }
            for (MediaType offered : produces) {
                if (wanted.isCompatibleWith(offered)) {
                    return offered.isConcrete() ? offered : wanted.isConcrete() ? wanted : produces.get(0);
                }
            }
        }
        throw new NotAcceptableStatusException(produces);
    }

    private static @Nullable MediaType parse(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return MediaType.parseMediaType(value);
        } catch (InvalidMediaTypeException e) {
            return null;
        }
    }
}
