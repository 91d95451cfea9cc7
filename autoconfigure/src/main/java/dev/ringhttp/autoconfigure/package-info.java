/**
 * Spring Boot auto-configuration of a ringhttp server: {@code ringhttp.server.*}
 * properties mapped onto the core's validated configuration, and a lifecycle
 * that starts the server with the context and stops it gracefully.
 */
package dev.ringhttp.autoconfigure;
