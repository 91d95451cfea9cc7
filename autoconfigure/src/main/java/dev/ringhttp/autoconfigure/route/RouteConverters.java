package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.Staging;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.http.converter.GenericHttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.http.converter.SmartHttpMessageConverter;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/**
 * The application's spring-web {@link HttpMessageConverter}s, in order, as routes use them:
 * reading {@code @RequestBody} arguments by the request's Content-Type (none is
 * {@code application/octet-stream}, as in Spring MVC; no converter for it is 415 with the
 * readable types in {@code Accept}) and writing return values by content negotiation (the
 * client's {@code Accept}, or the route's {@code produces}, against what the converters can
 * write for the value: nothing in common is 406).
 *
 * <p>Bodies are written straight into the outgoing ring ({@link RingBodyMessage}). Reading and
 * writing through converters allocates; the allocation-free answers (a core {@code HttpResponse}
 * filled by the route, a static {@code ByteBuffer}) never come here, and neither does a
 * {@code String} answered as {@code text/plain} when the first converter for strings is
 * spring-web's own UTF-8 one ({@link #writesStringsAsUtf8Text}).
 */
public final class RouteConverters {

    private static final List<MediaType> ANY = List.of(MediaType.ALL);

    private final List<HttpMessageConverter<?>> converters;
    private final boolean stringsAsUtf8Text;

    public RouteConverters(List<HttpMessageConverter<?>> converters) {
        this.converters = List.copyOf(converters);
        this.stringsAsUtf8Text = firstStringConverterIsUtf8(this.converters);
    }

    public List<HttpMessageConverter<?>> converters() {
        return converters;
    }

    /**
     * Only the form converters: what reads a {@code MultiValueMap} body. Jackson would take one
     * for JSON too, and fail on the interface it cannot build: a client's mistake answered 500.
     */
    RouteConverters formsOnly() {
        return new RouteConverters(converters.stream().filter(FormHttpMessageConverter.class::isInstance).toList());
    }

    /**
     * Whether a {@code String} answered as {@code text/plain} may skip the converters: the first
     * converter that writes strings as text is spring-web's {@link StringHttpMessageConverter} in
     * UTF-8, so staging the text as UTF-8 writes exactly what it would.
     */
    boolean writesStringsAsUtf8Text() {
        return stringsAsUtf8Text;
    }

    private static boolean firstStringConverterIsUtf8(List<HttpMessageConverter<?>> converters) {
        for (HttpMessageConverter<?> c : converters) {
            if (c.canWrite(String.class, MediaType.TEXT_PLAIN)) {
                return c.getClass() == StringHttpMessageConverter.class
                        && StandardCharsets.UTF_8.equals(((StringHttpMessageConverter) c).getDefaultCharset());
            }
        }
        return false;
    }

    /**
     * Reads the body of {@code request} as {@code type}. Throws 415 when no converter reads the
     * Content-Type into that type, {@link BadRequestException} when the body does not parse.
     */
    @Nullable Object read(HttpRequest request, ResolvableType type) throws IOException {
        MediaType contentType = contentType(request);
        Class<?> raw = type.toClass();
        for (HttpMessageConverter<?> c : converters) {
            if (c instanceof SmartHttpMessageConverter<?> smart) {
                if (smart.canRead(type, contentType)) {
                    return readWith(() -> smart.read(type, new RequestBodyMessage(request), Map.of()));
                }
            } else if (c instanceof GenericHttpMessageConverter<?> generic) {
                if (generic.canRead(type.getType(), null, contentType)) {
                    return readWith(() -> generic.read(type.getType(), null, new RequestBodyMessage(request)));
                }
            } else if (c.canRead(raw, contentType)) {
                @SuppressWarnings("unchecked")
                HttpMessageConverter<Object> plain = (HttpMessageConverter<Object>) c;
                return readWith(() -> plain.read((Class<Object>) raw, new RequestBodyMessage(request)));
            }
        }
        throw new UnsupportedMediaTypeStatusException(contentType, readableTypes(type), type);
    }

    private interface Reading {
        @Nullable Object read() throws IOException;
    }

    private static @Nullable Object readWith(Reading reading) throws IOException {
        try {
            return reading.read();
        } catch (HttpMessageNotReadableException e) {
            // The parser's message describes its internals, not what the client should fix: kept as the cause only.
            throw new BadRequestException("Failed to read request", e);
        }
    }

    /** What some converter reads into {@code type}, for the {@code Accept} header of a 415. */
    List<MediaType> readableTypes(ResolvableType type) {
        Set<MediaType> types = new LinkedHashSet<>();
        for (HttpMessageConverter<?> c : converters) {
            boolean reads = c instanceof SmartHttpMessageConverter<?> smart ? smart.canRead(type, null)
                    : c instanceof GenericHttpMessageConverter<?> generic ? generic.canRead(type.getType(), null, null)
                    : c.canRead(type.toClass(), null);
            if (reads) {
                types.addAll(c.getSupportedMediaTypes(type.toClass()));
            }
        }
        return new ArrayList<>(types);
    }

    /** The request's Content-Type; absent is {@code application/octet-stream}; one that does not parse is 415. */
    private static MediaType contentType(HttpRequest request) {
        String value = request.header("Content-Type");
        if (value == null || value.isBlank()) {
            return MediaType.APPLICATION_OCTET_STREAM;
        }
        try {
            return MediaType.parseMediaType(value);
        } catch (InvalidMediaTypeException e) {
            throw new UnsupportedMediaTypeStatusException("Content-Type '" + value + "' does not parse");
        }
    }

    /**
     * Writes {@code value} as the body of {@code response}, staged in the ring.
     *
     * @param preset   a Content-Type the answer already has (a {@code ResponseEntity}'s, a problem's):
     *                 the value is written as that type; null to negotiate
     * @param produced the route's negotiated {@code produces} type; null when it declares none
     * @param accept   the request's {@code Accept} header, copied before the request went away; null when absent
     */
    void write(Object value, ResolvableType type, @Nullable MediaType preset, @Nullable MediaType produced,
            @Nullable String accept, HttpResponse response, Staging staging) throws IOException {
        MediaType selected = preset != null ? preset : produced != null ? produced : negotiate(value, type, accept);
        Class<?> raw = value.getClass();
        for (HttpMessageConverter<?> c : converters) {
            if (canWrite(c, type, raw, selected)) {
                writeWith(c, value, type, selected, response, staging);
                return;
            }
        }
        throw new HttpMessageNotWritableException("No converter for [" + raw.getName() + "] with Content-Type '"
                + selected + "'");
    }

    private static boolean canWrite(HttpMessageConverter<?> c, ResolvableType type, Class<?> raw,
            @Nullable MediaType mediaType) {
        if (c instanceof SmartHttpMessageConverter<?> smart) {
            return smart.canWrite(type, raw, mediaType);
        }
        if (c instanceof GenericHttpMessageConverter<?> generic) {
            return generic.canWrite(type.getType(), raw, mediaType);
        }
        return c.canWrite(raw, mediaType);
    }

    @SuppressWarnings("unchecked")
    private static void writeWith(HttpMessageConverter<?> c, Object value, ResolvableType type, MediaType mediaType,
            HttpResponse response, Staging staging) throws IOException {
        RingBodyMessage message = new RingBodyMessage(staging);
        boolean written = false;
        try {
            if (c instanceof SmartHttpMessageConverter<?> smart) {
                ((SmartHttpMessageConverter<Object>) smart).write(value, type, mediaType, message, Map.of());
            } else if (c instanceof GenericHttpMessageConverter<?> generic) {
                ((GenericHttpMessageConverter<Object>) generic).write(value, type.getType(), mediaType, message);
            } else {
                ((HttpMessageConverter<Object>) c).write(value, mediaType, message);
            }
            written = true;
        } finally {
            if (!written) {
                message.abandon();
            }
        }
        message.finish(response);
    }

    /**
     * The type to write {@code value} as, as Spring MVC picks it: every type the client accepts,
     * most specific and preferred first, against every type some converter writes the value as;
     * the first concrete type of the two's most specific pairings wins; {@code *}{@code /*} or
     * {@code application/*} alone give {@code application/octet-stream}. None in common is 406.
     */
    MediaType negotiate(Object value, ResolvableType type, @Nullable String accept) {
        List<MediaType> acceptable = acceptable(accept);
        Class<?> raw = value.getClass();
        List<MediaType> producible = new ArrayList<>();
        for (HttpMessageConverter<?> c : converters) {
            if (canWrite(c, type, raw, null)) {
                producible.addAll(c.getSupportedMediaTypes(raw));
            }
        }
        if (producible.isEmpty()) {
            throw new HttpMessageNotWritableException("No converter for return value of type " + raw.getName());
        }
        List<MediaType> compatible = new ArrayList<>();
        for (MediaType wanted : acceptable) {
            for (MediaType offered : producible) {
                if (wanted.isCompatibleWith(offered)) {
                    compatible.add(mostSpecific(wanted, offered));
                }
            }
        }
        if (compatible.isEmpty()) {
            throw new NotAcceptableStatusException(producible);
        }
        MimeTypeUtils.sortBySpecificity(compatible);
        for (MediaType candidate : compatible) {
            if (candidate.isConcrete()) {
                return candidate.removeQualityValue();
            }
            if (candidate.isPresentIn(List.of(MediaType.ALL, new MediaType("application")))) {
                return MediaType.APPLICATION_OCTET_STREAM;
            }
        }
        throw new NotAcceptableStatusException(producible);
    }

    private static List<MediaType> acceptable(@Nullable String accept) {
        if (accept == null || accept.isBlank()) {
            return ANY;
        }
        try {
            List<MediaType> types = new ArrayList<>(MediaType.parseMediaTypes(accept));
            types.removeIf(t -> t.getQualityValue() == 0);
            // Preferred first (MediaType's specificity weighs the quality value), then the more specific.
            MimeTypeUtils.sortBySpecificity(types);
            return types;
        } catch (InvalidMediaTypeException e) {
            throw new NotAcceptableStatusException("Accept '" + accept + "' does not parse");
        }
    }

    /** The more specific of two compatible types, with the client's quality value. */
    private static MediaType mostSpecific(MediaType wanted, MediaType offered) {
        MediaType produced = offered.copyQualityValue(wanted);
        return wanted.isLessSpecific(produced) ? produced : wanted;
    }
}
