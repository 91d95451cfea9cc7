package dev.ringhttp.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.autoconfigure.route.RouteConverters;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.ServerHttpMessageConvertersCustomizer;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.util.MultiValueMap;

/** The converters routes get: Boot's server converters where its module configures them, the same by hand where not. */
class ServerMessageConvertersTests {

    private static final StringHttpMessageConverter CUSTOM = new StringHttpMessageConverter(StandardCharsets.UTF_16);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RingHttpAutoConfiguration.class, JacksonAutoConfiguration.class))
            .withPropertyValues("ringhttp.server.port=0", "ringhttp.server.max-connections=4",
                    "ringhttp.server.max-websocket-connections=4", "ringhttp.server.outgoing-buffer-size=256KB");

    @Configuration(proxyBeanMethods = false)
    static class ConverterBean {
        @Bean
        HttpMessageConverter<String> custom() {
            return CUSTOM;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizer {
        @Bean
        ServerHttpMessageConvertersCustomizer addsOne() {
            return builder -> builder.addCustomConverter(CUSTOM);
        }
    }

    @Test
    void bootsCustomizersApplyWhereItsAutoConfigurationRuns() {
        runner.withConfiguration(AutoConfigurations.of(HttpMessageConvertersAutoConfiguration.class))
                .withUserConfiguration(Customizer.class)
                .run(context -> {
                    var converters = context.getBean(RouteConverters.class).converters();
                    assertThat(converters).contains(CUSTOM);
                    assertThat(converters).anySatisfy(c -> assertThat(c).isInstanceOf(JacksonJsonHttpMessageConverter.class));
                });
    }

    @Test
    void converterBeansComeFirstWithoutBootsHttpConverterModule() {
        runner.withUserConfiguration(ConverterBean.class).run(context -> {
            var converters = context.getBean(RouteConverters.class).converters();
            assertThat(converters.get(0)).isSameAs(CUSTOM);
            assertThat(converters).anySatisfy(c -> assertThat(c).isInstanceOf(JacksonJsonHttpMessageConverter.class));
        });
    }

    @Test
    void stringsAreUtf8AndFormsAreReadEitherWay() {
        runner.run(context -> assertUtf8StringsAndForms(context.getBean(RouteConverters.class)));
        runner.withConfiguration(AutoConfigurations.of(HttpMessageConvertersAutoConfiguration.class))
                .run(context -> assertUtf8StringsAndForms(context.getBean(RouteConverters.class)));
    }

    private static void assertUtf8StringsAndForms(RouteConverters routeConverters) {
        var converters = routeConverters.converters();
        HttpMessageConverter<?> strings = converters.stream().filter(c -> c.canWrite(String.class, MediaType.TEXT_PLAIN))
                .findFirst().orElseThrow();
        assertThat(((StringHttpMessageConverter) strings).getDefaultCharset()).isEqualTo(StandardCharsets.UTF_8);
        assertThat(converters).anySatisfy(c -> assertThat(c.canRead(MultiValueMap.class,
                MediaType.APPLICATION_FORM_URLENCODED)).isTrue());
    }
}
