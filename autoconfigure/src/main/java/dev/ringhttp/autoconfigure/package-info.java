/**
 * Spring Boot auto-configuration of a ringhttp server:
 * {@code ringhttp.server.*} properties mapped onto the core's validated
 * configuration, and the beans that wire the server to the application.
 * Only auto-configuration lives here; the types it creates live in packages
 * of their own: {@code server} (lifecycle, port, loop failure),
 * {@code route} ({@code @HttpRoute}), {@code websocket}
 * ({@code @WsHandler}), and the optional {@code metrics} and
 * {@code actuate}, which keep their auto-configurations beside their runtime
 * types so that each optional dependency is confined to one package.
 */
@NullMarked
package dev.ringhttp.autoconfigure;

import org.jspecify.annotations.NullMarked;
