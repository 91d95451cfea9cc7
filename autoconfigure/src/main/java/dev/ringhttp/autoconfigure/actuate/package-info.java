/**
 * Actuator support for a ringhttp server: a health indicator, the
 * {@code ringhttp} endpoint, and actuator web endpoints served by the ringhttp
 * server itself when the application has no servlet or reactive web server.
 */
@NullMarked
package dev.ringhttp.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
