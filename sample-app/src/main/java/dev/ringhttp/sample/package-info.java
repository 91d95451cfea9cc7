/**
 * The ringhttp sample application: a live dashboard of the server's own
 * counters (over {@code /ws/live}), a chat ({@code /ws/chat}), and the fixed
 * routes benchmarks and conformance suites aim at ({@code /hello},
 * {@code /echo}, {@code /api/stats}, {@code /ws/echo}).
 */
@NullMarked
package dev.ringhttp.sample;

import org.jspecify.annotations.NullMarked;
