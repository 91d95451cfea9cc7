package dev.ringhttp.bench.peers;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;

/**
 * Undertow 2.3 as its documentation recommends for a non-blocking handler: the builder's defaults (I/O threads =
 * available processors, at least 2; worker pool 8 per I/O thread; direct pooled buffers), the hello answered on the
 * I/O thread from one shared direct buffer, {@code Date} added by Undertow itself ({@code ALWAYS_SET_DATE}).
 * {@code /ws} is {@code Handlers.websocket}. Under the harness's {@code --loops N}, exactly N I/O threads
 * ({@code setIoThreads}); the worker pool keeps its default (8 per I/O thread).
 *
 * <p>Back-pressure: {@code WebSockets.sendText(ByteBuffer, channel, callback)} is asynchronous; the callback counts
 * the message done, and a channel with 256 unacknowledged sends is full.
 */
public final class UndertowPeer {

    private UndertowPeer() {
    }

    public static void main(String[] args) {
        PeerOptions options = PeerOptions.fromSystemProperties();
        ByteBuffer hello = ByteBuffer.allocateDirect(Payload.HELLO_BYTES.length).put(Payload.HELLO_BYTES).flip();
        Broadcast fanOut = new Broadcast(options);
        HttpHandler helloHandler = exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            exchange.getResponseSender().send(hello.duplicate());
        };
        HttpHandler ws = Handlers.websocket((exchange, channel) -> {
            FanOut.Member<WebSocketChannel> member = fanOut.join(channel);
            channel.addCloseTask(c -> fanOut.leave(member));
            channel.resumeReceives();
        });
        Undertow.Builder builder = Undertow.builder()
                .addHttpListener(options.port(), "127.0.0.1")
                .setHandler(Handlers.path().addExactPath("/hello", helloHandler).addExactPath("/ws", ws));
        if (options.loops() > 0) {
            builder.setIoThreads(options.loops());
        }
        Undertow server = builder.build();
        server.start();
        fanOut.startIfWanted("undertow");
        PeerOptions.ready("undertow", options.port());
    }

    static final class Broadcast extends FanOut<WebSocketChannel> {
        Broadcast(PeerOptions options) {
            super(options);
        }

        @Override
        protected Object prepare(byte[] message) {
            return ByteBuffer.wrap(message);
        }

        @Override
        protected void send(Member<WebSocketChannel> m, Object prepared) {
            WebSockets.sendText(((ByteBuffer) prepared).duplicate(), m.session, new WebSocketCallback<Void>() {
                @Override
                public void complete(WebSocketChannel channel, Void context) {
                    m.done();
                }

                @Override
                public void onError(WebSocketChannel channel, Void context, Throwable throwable) {
                    m.done();
                }
            });
        }

        @Override
        protected void close(Member<WebSocketChannel> m) {
            WebSockets.sendClose(1008, "too slow", m.session, null);
        }
    }
}
