/** The WebSocket load client: NIO, a thread or two, thousands of connections, allocation-free per message. */
package dev.ringhttp.bench.load;
