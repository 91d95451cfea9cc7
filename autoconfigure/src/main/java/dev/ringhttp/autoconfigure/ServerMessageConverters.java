package dev.ringhttp.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server-side message converters routes use, built the way Spring Boot builds Spring MVC's:
 * spring-web's defaults (byte arrays, UTF-8 strings, resources, form data, and what the classpath
 * adds, JSON among them), then Boot's {@link ServerHttpMessageConvertersCustomizer} beans where
 * Boot's {@code spring-boot-http-converter} configures them (they bring the application's
 * {@code JsonMapper}, its {@code HttpMessageConverter} beans and {@code spring.http.converters.*}).
 * Without that module, the same by hand: the application's {@code JsonMapper} for JSON and each
 * {@code HttpMessageConverter} bean ahead of the defaults, as Boot would place it.
 */
final class ServerMessageConverters {

    private static final boolean BOOT_CUSTOMIZERS = ClassUtils.isPresent(
            "org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer",
            ServerMessageConverters.class.getClassLoader());
    private static final boolean JACKSON = ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper",
            ServerMessageConverters.class.getClassLoader());

    private ServerMessageConverters() {
    }

    static List<HttpMessageConverter<?>> build(ListableBeanFactory beans) {
        HttpMessageConverters.ServerBuilder builder = HttpMessageConverters.forServer().registerDefaults()
                .withStringConverter(new StringHttpMessageConverter(StandardCharsets.UTF_8));
        if (!(BOOT_CUSTOMIZERS && BootCustomizers.apply(beans, builder))) {
            if (JACKSON) {
                ApplicationJsonMapper.apply(beans, builder);
            }
            beans.getBeanProvider(HttpMessageConverter.class).orderedStream().forEach(builder::addCustomConverter);
        }
        List<HttpMessageConverter<?>> converters = new ArrayList<>();
        builder.build().forEach(converters::add);
        return converters;
    }

    /** Loaded only where Boot's http-converter module is on the classpath. */
    private static final class BootCustomizers {

        /** Applies Boot's customizers; false when there are none (its auto-configuration did not run). */
        static boolean apply(ListableBeanFactory beans, HttpMessageConverters.ServerBuilder builder) {
            ObjectProvider<ServerHttpMessageConvertersCustomizer> customizers =
                    beans.getBeanProvider(ServerHttpMessageConvertersCustomizer.class);
            List<ServerHttpMessageConvertersCustomizer> ordered = customizers.orderedStream().toList();
            ordered.forEach(c -> c.customize(builder));
            return !ordered.isEmpty();
        }
    }

    /** Loaded only where Jackson 3 is on the classpath. */
    private static final class ApplicationJsonMapper {

        static void apply(ListableBeanFactory beans, HttpMessageConverters.ServerBuilder builder) {
            JsonMapper mapper = beans.getBeanProvider(JsonMapper.class).getIfAvailable();
            if (mapper != null) {
                builder.withJsonConverter(new JacksonJsonHttpMessageConverter(mapper));
            }
        }
    }
}
