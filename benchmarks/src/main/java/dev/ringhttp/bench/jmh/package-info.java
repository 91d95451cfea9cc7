/** JMH microbenchmarks of the core's hot paths; {@code gc.alloc.rate.norm} must be 0 for them. */
package dev.ringhttp.bench.jmh;
