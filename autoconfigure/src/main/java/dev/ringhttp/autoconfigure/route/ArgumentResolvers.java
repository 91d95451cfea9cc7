package dev.ringhttp.autoconfigure.route;

import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.util.StringUtils;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.SmartValidator;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.ValidationAnnotationUtils;
import org.springframework.web.bind.MethodArgumentNotValidException;
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
    private final RouteConverters converters;
    private final @Nullable Validator validator;

    ArgumentResolvers(ConversionService conversion, RouteConverters converters) {
        this(conversion, converters, null);
    }

    /** @param validator validates {@code @Valid} and {@code @Validated} bodies; null: they are not validated */
    ArgumentResolvers(ConversionService conversion, RouteConverters converters, @Nullable Validator validator) {
        this.conversion = conversion;
        this.converters = converters;
        this.validator = validator;
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
        if (param != null && Map.class.isAssignableFrom(type) && !StringUtils.hasText(param.name())) {
            // As in Spring MVC: every parameter, with all its values for a MultiValueMap, the first for a Map.
            return MultiValueMap.class.isAssignableFrom(type) ? inv -> new LinkedMultiValueMap<>(inv.parameters())
                    : inv -> inv.parameters().toSingleValueMap();
        }
        if (param != null && (type.isArray() || Collection.class.isAssignableFrom(type))) {
            String name = nameOf(p, param.name());
            return multiValued(p, name, param.required(), param.defaultValue());
        }
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
            ArgumentResolver read = body(p, body.required());
            Object[] hints = validationHints(p);
            return hints != null && validator != null ? validated(read, p, hints, validator) : read;
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

    /** A parameter given several times ({@code ?tag=a&tag=b}), into a collection or array of the target type. */
    private ArgumentResolver multiValued(MethodParameter p, String name, boolean required, String defaultValue) {
        TypeDescriptor target = new TypeDescriptor(p);
        TypeDescriptor strings = TypeDescriptor.collection(List.class, STRING);
        if (!conversion.canConvert(strings, target)) {
            throw new IllegalStateException("@HttpRoute " + describe(p) + ": no conversion from strings to "
                    + target + " for request parameter '" + name + "'");
        }
        boolean hasDefault = !ValueConstants.DEFAULT_NONE.equals(defaultValue);
        return inv -> {
            List<String> values = inv.parameters().get(name);
            if (values == null || values.isEmpty()) {
                if (hasDefault) {
                    values = StringUtils.commaDelimitedListToSet(defaultValue).stream().toList();
                } else if (required && !p.isOptional()) {
                    throw new BadRequestException("missing query parameter '" + name + "'");
                } else {
                    values = List.of();
                }
            }
            try {
                return conversion.convert(values, strings, target);
            } catch (ConversionException e) {
                throw new BadRequestException("invalid query parameter '" + name + "': " + values, e);
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

    /**
     * A {@code @RequestBody}: a {@code ByteBuffer} is the request's own body, read-only, at no cost;
     * anything else is read by the first converter that reads the Content-Type into the parameter's
     * type (a {@code MultiValueMap} by a form converter only). A type that no converter reads at all
     * fails start-up.
     */
    private ArgumentResolver body(MethodParameter p, boolean required) {
        Class<?> type = p.getParameterType();
        if (type == ByteBuffer.class) {
            return inv -> inv.request.body();
        }
        ResolvableType target = ResolvableType.forMethodParameter(p);
        RouteConverters converters = MultiValueMap.class.isAssignableFrom(type) ? this.converters.formsOnly()
                : this.converters;
        if (converters.readableTypes(target).isEmpty()) {
            throw new IllegalStateException("@HttpRoute " + describe(p) + ": no message converter reads a @RequestBody"
                    + " of type " + target + (isJsonCandidate(type) ? "; JSON needs Jackson"
                    + " (tools.jackson.core:jackson-databind) on the classpath" : ""));
        }
        return inv -> {
            if (!inv.request.body().hasRemaining()) {
                if (required) {
                    throw new BadRequestException("Required request body is missing");
                }
                return null;
            }
            return converters.read(inv.request, target);
        };
    }

    private static boolean isJsonCandidate(Class<?> type) {
        return !BeanUtils.isSimpleProperty(type);
    }

    /** The hints (groups) of the parameter's {@code @Valid} or {@code @Validated}; null when it has neither. */
    private static Object @Nullable [] validationHints(MethodParameter p) {
        for (Annotation a : p.getParameterAnnotations()) {
            Object[] hints = ValidationAnnotationUtils.determineValidationHints(a);
            if (hints != null) {
                return hints;
            }
        }
        return null;
    }

    /**
     * Validates what {@code read} binds, as Spring MVC validates a {@code @Valid} body: a violation
     * is a {@link MethodArgumentNotValidException}, answered 400 with the field and global errors
     * listed in its problem detail ({@code errors}: field, message).
     */
    private static ArgumentResolver validated(ArgumentResolver read, MethodParameter p, Object[] hints,
            Validator validator) {
        return inv -> {
            Object value = read.resolve(inv);
            if (value == null) {
                return null;
            }
            String name = p.getParameterName();
            BeanPropertyBindingResult errors = new BeanPropertyBindingResult(value, name != null ? name : "body");
            if (hints.length > 0 && validator instanceof SmartValidator smart) {
                smart.validate(value, errors, hints);
            } else {
                validator.validate(value, errors);
            }
            if (errors.hasErrors()) {
                MethodArgumentNotValidException invalid = new MethodArgumentNotValidException(p, errors);
                List<Map<String, String>> listed = new ArrayList<>();
                for (ObjectError error : errors.getAllErrors()) {
                    Map<String, String> entry = new LinkedHashMap<>();
                    entry.put(error instanceof FieldError field ? "field" : "object",
                            error instanceof FieldError field ? field.getField() : error.getObjectName());
                    entry.put("message", String.valueOf(error.getDefaultMessage()));
                    listed.add(entry);
                }
                invalid.getBody().setProperty("errors", listed);
                throw invalid;
            }
            return value;
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
