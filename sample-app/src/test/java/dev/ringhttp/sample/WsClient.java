package dev.ringhttp.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A java.net.http WebSocket that queues whole messages: a String for text, a byte[] for binary. */
final class WsClient implements WebSocket.Listener, AutoCloseable {

    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
    private final WebSocket socket;

    private WsClient(HttpClient client, URI uri) {
        this.socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, this).orTimeout(10, TimeUnit.SECONDS).join();
    }

    static WsClient connect(HttpClient client, int port, String path) {
        return new WsClient(client, URI.create("ws://localhost:" + port + path));
    }

    WebSocket socket() {
        return socket;
    }

    void sendText(String message) {
        socket.sendText(message, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    void sendBinary(byte[] message) {
        socket.sendBinary(ByteBuffer.wrap(message), true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** The next whole message, failing after 10 seconds. */
    Object next() throws InterruptedException {
        Object m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no WebSocket message within 10 seconds");
        }
        return m;
    }

    String nextText() throws InterruptedException {
        Object m = next();
        if (!(m instanceof String s)) {
            throw new AssertionError("expected a text message, got " + m.getClass().getSimpleName());
        }
        return s;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        synchronized (text) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        synchronized (binary) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
                .exceptionally(t -> null).join();
        socket.abort();
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
