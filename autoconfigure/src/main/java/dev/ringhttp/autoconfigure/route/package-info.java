/**
 * The {@code @HttpRoute} programming model: route discovery, matching with
 * Spring's {@code PathPatternParser}, argument resolution, return values and
 * error statuses, all dispatched on the server's event loop.
 */
@NullMarked
package dev.ringhttp.autoconfigure.route;

import org.jspecify.annotations.NullMarked;
