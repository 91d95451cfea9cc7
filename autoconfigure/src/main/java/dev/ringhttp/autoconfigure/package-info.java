/**
 * Spring Boot auto-configuration of a ringhttp server: {@code ringhttp.server.*}
 * properties mapped onto the core's validated configuration, a lifecycle
 * that starts the server with the context and stops it gracefully, and a
 * handler that ends the application if the server's event loop dies.
 */
package dev.ringhttp.autoconfigure;
