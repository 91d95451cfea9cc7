package dev.ringhttp.autoconfigure.security;

import dev.ringhttp.autoconfigure.route.HttpRoute;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;

/**
 * The README's example: routes and the actuator protected by HTTP Basic against Spring
 * Security's {@link AuthenticationManager}, through a {@link RingHttpFilter}. Users: alice
 * (USER) and ops (USER, ACTUATOR); {@code /public/**} is open, {@code /actuator/**} needs ACTUATOR.
 */
@Configuration(proxyBeanMethods = false)
@EnableAutoConfiguration
class BasicAuthenticationApplication {

    /** BCrypt at its lowest cost, to keep the test quick; see the README on hashing costs on the loop. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder(4);
    }

    @Bean
    UserDetailsService users(PasswordEncoder encoder) {
        return new InMemoryUserDetailsManager(
                User.withUsername("alice").password(encoder.encode("wonderland")).roles("USER").build(),
                User.withUsername("ops").password(encoder.encode("metrics")).roles("USER", "ACTUATOR").build());
    }

    @Bean
    AuthenticationManager authenticationManager(UserDetailsService users, PasswordEncoder encoder) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(encoder);
        return new ProviderManager(provider);
    }

    @Bean
    @Order(0)
    RingHttpFilter basicAuthentication(AuthenticationManager authentication) {
        return exchange -> {
            if (exchange.path().startsWith("/public")) {
                return true;
            }
            Authentication user = authenticate(authentication, exchange.header("Authorization"));
            if (user == null) {
                exchange.unauthorized("Basic realm=\"app\"");
                return false;
            }
            if (exchange.path().startsWith("/actuator") && user.getAuthorities().stream()
                    .noneMatch(a -> "ROLE_ACTUATOR".equals(a.getAuthority()))) {
                exchange.forbidden();
                return false;
            }
            exchange.principal(user);
            return true;
        };
    }

    /** The authenticated user for an {@code Authorization: Basic ...} header, or null. */
    static @Nullable Authentication authenticate(AuthenticationManager authentication, @Nullable String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String[] credentials = new String(Base64.getDecoder().decode(header.substring(6).trim()),
                    StandardCharsets.UTF_8).split(":", 2);
            return authentication.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(credentials[0],
                    credentials.length == 2 ? credentials[1] : ""));
        } catch (IllegalArgumentException | AuthenticationException e) {
            return null; // not base64, or wrong credentials: the client's mistake, answered 401
        }
    }

    @Bean
    Routes routes() {
        return new Routes();
    }

    static class Routes {
        @HttpRoute("/public/hello")
        String hello() {
            return "hello";
        }

        @HttpRoute("/me")
        String me(Principal principal, Authentication authentication) {
            // Roles only: Spring Security 7 adds authorities of its own (the factors used to authenticate).
            return principal.getName() + " " + authentication.getAuthorities().stream()
                    .map(GrantedAuthority::getAuthority).filter(a -> a.startsWith("ROLE_")).toList();
        }
    }
}
