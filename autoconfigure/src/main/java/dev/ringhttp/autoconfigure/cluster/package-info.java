/**
 * Cluster broadcast: the application's instances share the broadcasts made through the
 * {@link dev.ringhttp.autoconfigure.websocket.WebSocketMessenger} through one Redis pub/sub channel
 * (Spring Data Redis with Lettuce, configured by {@code spring.data.redis.*}), each delivering what the
 * others publish to its own clients, stored once in its ring. {@link dev.ringhttp.autoconfigure.cluster.RingHttpCluster}
 * is the entry point; the auto-configuration ({@code RingHttpClusterAutoConfiguration}) builds it when
 * {@code ringhttp.cluster.enabled=true}.
 *
 * <p>Redis, Micrometer and the actuator are optional dependencies of the starter: the health indicator
 * and the meter binder here are only loaded by configurations conditional on them.
 */
@NullMarked
package dev.ringhttp.autoconfigure.cluster;

import org.jspecify.annotations.NullMarked;
