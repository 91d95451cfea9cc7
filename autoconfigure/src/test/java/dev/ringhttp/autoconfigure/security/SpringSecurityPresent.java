package dev.ringhttp.autoconfigure.security;

import org.springframework.util.ClassUtils;

/**
 * Whether Spring Security is on the test classpath: the build runs the suite without it (as an
 * application without it runs) and the Spring Security tests in an execution of their own, with it.
 */
final class SpringSecurityPresent {

    /** For {@code @EnabledIf}. */
    static final String CONDITION = "dev.ringhttp.autoconfigure.security.SpringSecurityPresent#onClasspath";

    private SpringSecurityPresent() {
    }

    static boolean onClasspath() {
        return ClassUtils.isPresent("org.springframework.security.web.SecurityFilterChain",
                SpringSecurityPresent.class.getClassLoader());
    }
}
