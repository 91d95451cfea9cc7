/**
 * Micrometer metrics of a ringhttp server: connection, byte, frame and ring
 * counters read straight from the server's counters, and a request timer fed
 * by the route dispatcher.
 */
@NullMarked
package dev.ringhttp.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
