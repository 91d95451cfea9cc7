package dev.ringhttp.autoconfigure.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Same-origin decisions: an origin is the page's own when its host and port are the request's Host. */
class OriginPolicyTests {

    @Test
    void theSameHostAndPortIsTheSameOrigin() {
        assertThat(OriginPolicy.sameOrigin("http://example.com:8080", "example.com:8080")).isTrue();
        assertThat(OriginPolicy.sameOrigin("http://example.com", "EXAMPLE.com")).isTrue();
        assertThat(OriginPolicy.sameOrigin("http://example.com", "example.com:80")).isTrue();
        assertThat(OriginPolicy.sameOrigin("https://example.com", "example.com")).isTrue();
        assertThat(OriginPolicy.sameOrigin("https://example.com:443", "example.com")).isTrue();
        assertThat(OriginPolicy.sameOrigin("http://[::1]:9000", "[::1]:9000")).isTrue();
    }

    @Test
    void anotherHostPortOrSchemeIsNot() {
        assertThat(OriginPolicy.sameOrigin("http://example.com:8081", "example.com:8080")).isFalse();
        assertThat(OriginPolicy.sameOrigin("http://evil.com", "example.com")).isFalse();
        assertThat(OriginPolicy.sameOrigin("http://example.com.evil.com", "example.com")).isFalse();
        assertThat(OriginPolicy.sameOrigin("https://example.com", "example.com:80")).isFalse();
        assertThat(OriginPolicy.sameOrigin("http://[::1]:9000", "[::2]:9000")).isFalse();
        assertThat(OriginPolicy.sameOrigin("null", "example.com")).isFalse();
        assertThat(OriginPolicy.sameOrigin("file://", "example.com")).isFalse();
        assertThat(OriginPolicy.sameOrigin("http://example.com:x", "example.com:x")).isFalse();
        assertThat(OriginPolicy.sameOrigin("http://example.com", null)).isFalse();
    }
}
