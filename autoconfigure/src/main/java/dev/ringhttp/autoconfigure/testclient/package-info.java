/**
 * What lets Spring Boot's test clients reach the ringhttp server in an
 * application's {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} tests:
 * a {@link org.springframework.boot.test.http.server.LocalTestWebServer}
 * provider, which {@code TestRestTemplate} asks and from which a test builds
 * a {@code RestTestClient}. Used only where Boot's test support is on the
 * classpath.
 */
@NullMarked
package dev.ringhttp.autoconfigure.testclient;

import org.jspecify.annotations.NullMarked;
