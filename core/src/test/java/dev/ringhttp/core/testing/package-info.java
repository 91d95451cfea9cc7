/**
 * The one test harness of every module's tests, published as core's test-jar (the other modules
 * depend on {@code ringhttp-core} with {@code <type>test-jar</type>}).
 *
 * <ul>
 *   <li>{@link dev.ringhttp.core.testing.TestServer}: a real server on a free loopback port that
 *       records every close with its reason.</li>
 *   <li>{@link dev.ringhttp.core.testing.RawConnection}: the raw HTTP client (any bytes out,
 *       responses in through {@link dev.ringhttp.core.testing.HttpResponseReader}, close and reset
 *       seen from the client's side).</li>
 *   <li>{@link dev.ringhttp.core.testing.RawWebSocket}: the raw WebSocket client (the handshake by
 *       hand, any bytes out, server frames read strictly, the close handshake).</li>
 *   <li>{@link dev.ringhttp.core.testing.WsFrames}: the builder of client frames, byte for byte;
 *       {@link dev.ringhttp.core.testing.ServerFrameReader} reads server frames into
 *       {@link dev.ringhttp.core.testing.ServerFrame}s.</li>
 *   <li>{@link dev.ringhttp.core.testing.JdkWebSocket}: a well-behaved client, the JDK's.</li>
 *   <li>{@link dev.ringhttp.core.testing.Await}, {@link dev.ringhttp.core.testing.SocketAssertions},
 *       {@link dev.ringhttp.core.testing.LoopCpu}, {@link dev.ringhttp.core.testing.LogAssertions} and
 *       {@link dev.ringhttp.core.testing.ServerLogCapture}: waiting, and what the client's socket, the
 *       loop thread and the log show.</li>
 *   <li>{@link dev.ringhttp.core.testing.RedisServer}: a real {@code redis-server} on a free loopback
 *       port, stopped and restarted for outages (the Spring layer's cluster tests).</li>
 * </ul>
 */
package dev.ringhttp.core.testing;


