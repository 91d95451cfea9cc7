/**
 * Micrometer metrics of a ringhttp server: connection, byte, frame and ring
 * counters read straight from the server's counters, and a request timer fed
 * by the route dispatcher. {@code RingHttpMetricsAutoConfiguration} creates
 * them; they do not depend on it. It lives here rather than beside the other
 * auto-configuration so that Micrometer, an optional dependency, is only
 * referred to from this package.
 */
@NullMarked
package dev.ringhttp.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
