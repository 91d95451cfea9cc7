/**
 * Actuator support for a ringhttp server: a health indicator, the
 * {@code ringhttp} endpoint, and actuator web endpoints served by the ringhttp
 * server itself when the application has no servlet or reactive web server.
 * The {@code ...AutoConfiguration} classes create the other types, which do
 * not depend on them. They live here rather than beside the other
 * auto-configuration so that the actuator, an optional dependency, is only
 * referred to from this package.
 */
@NullMarked
package dev.ringhttp.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
