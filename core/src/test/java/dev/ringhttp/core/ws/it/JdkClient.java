package dev.ringhttp.core.ws.it;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A java.net.http WebSocket that records whole messages, pongs, the close it receives and errors. */
final class JdkClient implements WebSocket.Listener {

    /** One whole message. */
    record Msg(boolean text, byte[] data) {
        String string() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    final BlockingQueue<Msg> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    final CompletableFuture<Throwable> error = new CompletableFuture<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    volatile WebSocket ws;
    /** Messages delivered so far. */
    final java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
    /** When set, checks each message (index, message) instead of queueing it; returns a problem or null. */
    volatile java.util.function.BiFunction<Integer, Msg, String> checker;
    final java.util.concurrent.ConcurrentLinkedQueue<String> problems = new java.util.concurrent.ConcurrentLinkedQueue<>();

    static JdkClient connect(HttpClient client, URI uri, String... subprotocols) throws Exception {
        return connectAsync(client, uri, subprotocols).get(10, TimeUnit.SECONDS);
    }

    static CompletableFuture<JdkClient> connectAsync(HttpClient client, URI uri, String... subprotocols) {
        JdkClient listener = new JdkClient();
        WebSocket.Builder b = client.newWebSocketBuilder();
        if (subprotocols.length > 0) {
            b.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return b.buildAsync(uri, listener).thenApply(w -> {
            listener.ws = w;
            return listener;
        });
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        ws = webSocket;
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            deliver(new Msg(true, text.toString().getBytes(StandardCharsets.UTF_8)));
            text.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] bytes = new byte[data.remaining()];
        data.get(bytes);
        binary.writeBytes(bytes);
        if (last) {
            deliver(new Msg(false, binary.toByteArray()));
            binary.reset();
        }
        return null;
    }

    private void deliver(Msg m) {
        int index = received.getAndIncrement();
        java.util.function.BiFunction<Integer, Msg, String> check = checker;
        if (check == null) {
            messages.add(m);
        } else {
            String problem = check.apply(index, m);
            if (problem != null) {
                problems.add(problem);
            }
        }
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        byte[] bytes = new byte[message.remaining()];
        message.get(bytes);
        pongs.add(bytes);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable e) {
        error.complete(e);
        closeCode.completeExceptionally(e);
    }

    /** The next whole message within 10 s; fails otherwise. */
    Msg next() throws InterruptedException {
        Msg m = messages.poll(10, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within 10 s" + (error.isDone() ? "; error " + error.join() : ""));
        }
        return m;
    }

    /** The close code the server sent, within 10 s. */
    int awaitClose() throws Exception {
        return closeCode.get(10, TimeUnit.SECONDS);
    }

    /** Takes up to {@code n} messages, waiting at most {@code timeoutMillis} overall. */
    List<Msg> take(int n, long timeoutMillis) throws InterruptedException {
        List<Msg> out = new ArrayList<>(n);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (out.size() < n) {
            Msg m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                break;
            }
            out.add(m);
        }
        return out;
    }
}
