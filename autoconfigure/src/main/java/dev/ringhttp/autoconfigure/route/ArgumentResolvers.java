package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ValueConstants;

/**
 * Builds, once per parameter at start-up, the resolver that produces it:
 * the core request or response, a {@code @PathVariable}, {@code @RequestParam}
 * or {@code @RequestHeader} converted with the conversion service, or a
 * {@code @RequestBody}; what the filters attached, as a {@link Principal}
 * (null when none, or when it is not of the parameter's type) or a
 * {@code @RequestAttribute}. An un-annotated simple type is a request
 * parameter, as in Spring MVC. Anything else fails start-up naming the
 * parameter.
 */
final class ArgumentResolvers {

    private static final TypeDescriptor STRING = TypeDescriptor.valueOf(String.class);
    private static final DefaultParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

    private final ConversionService conversion;
    private final @Nullable JsonCodec json;

    ArgumentResolvers(ConversionService conversion, @Nullable JsonCodec json) {
        this.conversion = conversion;
        this.json = json;
    }

    ArgumentResolver forParameter(MethodParameter p) {
        p.initParameterNameDiscovery(NAMES);
        Class<?> type = p.getParameterType();
        if (type == HttpRequest.class) {
            return inv -> inv.request;
        }
        if (type == HttpResponse.class) {
            return inv -> inv.response;
        }
        if (Principal.class.isAssignableFrom(type)) {
            return inv -> type.isInstance(inv.principal) ? inv.principal : null;
        }
        RequestAttribute attribute = p.getParameterAnnotation(RequestAttribute.class);
        if (attribute != null) {
            return attribute(p, nameOf(p, attribute.name()), attribute.required());
        }
        PathVariable path = p.getParameterAnnotation(PathVariable.class);
        if (path != null) {
            String name = nameOf(p, path.name());
            return converting(p, name, "path variable", path.required(), ValueConstants.DEFAULT_NONE,
                    inv -> inv.pathVariables.get(name));
        }
        RequestParam param = p.getParameterAnnotation(RequestParam.class);
        if (param != null) {
            String name = nameOf(p, param.name());
            return converting(p, name, "query parameter", param.required(), param.defaultValue(),
                    inv -> inv.queryParameter(name));
        }
        RequestHeader header = p.getParameterAnnotation(RequestHeader.class);
        if (header != null) {
            String name = nameOf(p, header.name());
            return converting(p, name, "header", header.required(), header.defaultValue(),
                    inv -> inv.request.header(name));
        }
        RequestBody body = p.getParameterAnnotation(RequestBody.class);
        if (body != null) {
            return body(p, body.required());
        }
        if (BeanUtils.isSimpleProperty(type)) {
            String name = nameOf(p, "");
            return converting(p, name, "query parameter", false, ValueConstants.DEFAULT_NONE,
                    inv -> inv.queryParameter(name));
        }
        throw new IllegalStateException("@HttpRoute " + describe(p) + ": parameter " + p.getParameterIndex()
                + " of type " + type.getName() + " needs @PathVariable, @RequestParam, @RequestHeader or @RequestBody");
    }

    private interface RawValue {
        @Nullable String get(Invocation inv);
    }

    private ArgumentResolver converting(MethodParameter p, String name, String kind, boolean required,
            String defaultValue, RawValue raw) {
        TypeDescriptor target = new TypeDescriptor(p);
        boolean optional = p.getParameterType() == java.util.Optional.class;
        boolean hasDefault = !ValueConstants.DEFAULT_NONE.equals(defaultValue);
        if (!conversion.canConvert(STRING, target) && !optional) {
            throw new IllegalStateException("@HttpRoute " + describe(p) + ": no conversion from String to "
                    + target + " for " + kind + " '" + name + "'");
        }
        return inv -> {
            String value = raw.get(inv);
            if (value == null && hasDefault) {
                value = defaultValue;
            }
            if (value == null) {
                if (required && !optional && !p.isOptional()) {
                    throw new BadRequestException("missing " + kind + " '" + name + "'");
                }
                return optional ? java.util.Optional.empty() : null;
            }
            try {
                return conversion.convert(value, STRING, target);
            } catch (ConversionException e) {
                throw new BadRequestException("invalid " + kind + " '" + name + "': " + value, e);
            }
        };
    }

    /**
     * A filter's attribute: as attached when it has the parameter's type, else converted. A
     * missing required one is a 400, as in Spring MVC.
     */
    private ArgumentResolver attribute(MethodParameter p, String name, boolean required) {
        boolean optional = p.getParameterType() == Optional.class;
        TypeDescriptor target = new TypeDescriptor(p);
        Class<?> type = optional ? p.nested().getNestedParameterType() : p.getParameterType();
        return inv -> {
            Object value = inv.attributes.get(name);
            if (value != null && !type.isInstance(value)) {
                value = conversion.convert(value, TypeDescriptor.forObject(value),
                        optional ? TypeDescriptor.valueOf(type) : target);
            }
            if (optional) {
                return Optional.ofNullable(value);
            }
            if (value == null && required && !p.isOptional()) {
                throw new BadRequestException("missing request attribute '" + name + "'");
            }
            return value;
        };
    }

    private ArgumentResolver body(MethodParameter p, boolean required) {
        Class<?> type = p.getParameterType();
        if (type == ByteBuffer.class) {
            return inv -> inv.request.body();
        }
        if (type == byte[].class) {
            return inv -> {
                ByteBuffer b = inv.request.body();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                return bytes;
            };
        }
        if (type == String.class) {
            return inv -> StandardCharsets.UTF_8.decode(inv.request.body()).toString();
        }
        if (json == null) {
            throw new IllegalStateException("@HttpRoute " + describe(p) + ": a JSON @RequestBody of type "
                    + type.getName() + " needs Jackson (tools.jackson.core:jackson-databind) on the classpath");
        }
        Type generic = p.getGenericParameterType();
        return inv -> {
            ByteBuffer b = inv.request.body();
            if (!b.hasRemaining()) {
                if (required) {
                    throw new BadRequestException("missing request body");
                }
                return null;
            }
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            try {
                return json.read(bytes, generic);
            } catch (Exception e) {
                throw new BadRequestException("unreadable JSON body: " + e.getMessage(), e);
            }
        };
    }

    private static String nameOf(MethodParameter p, String declared) {
        if (StringUtils.hasText(declared)) {
            return declared;
        }
        String discovered = p.getParameterName();
        if (discovered == null) {
            throw new IllegalStateException("@HttpRoute " + describe(p) + ": cannot tell the name of parameter "
                    + p.getParameterIndex() + "; name it in its annotation or compile with -parameters");
        }
        return discovered;
    }

    static String describe(MethodParameter p) {
        return p.getDeclaringClass().getSimpleName() + "." + p.getMethod().getName();
    }
}
