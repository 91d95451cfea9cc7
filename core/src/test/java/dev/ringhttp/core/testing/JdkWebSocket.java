package dev.ringhttp.core.testing;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A well-behaved WebSocket client: the JDK's {@code java.net.http.WebSocket}, whose listener
 * queues whole messages (fragments joined), pongs, the close code it receives and its error. For
 * tests of what a real client sees; {@link RawWebSocket} is for byte-exact control.
 */
public final class JdkWebSocket implements WebSocket.Listener, AutoCloseable {

    /** One whole message. */
    public record Message(boolean text, byte[] data) {
        /** The data as UTF-8 text. */
        public String string() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private static final long WAIT_SECONDS = 10;
    /** Shared by the tests: HttpClient has no close() before Java 21. */
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> pongs = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final CompletableFuture<Throwable> error = new CompletableFuture<>();
    private final AtomicInteger received = new AtomicInteger();
    private final Queue<String> problems = new ConcurrentLinkedQueue<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private volatile BiFunction<Integer, Message, String> checker;
    private volatile WebSocket ws;

    private JdkWebSocket() {
    }

    /** Connects to {@code ws://127.0.0.1:port/path} with a client shared by all tests. */
    public static JdkWebSocket connect(int port, String path) throws Exception {
        return connect(CLIENT, URI.create("ws://127.0.0.1:" + port + path));
    }

    /** Connects, offering {@code subprotocols}; fails after 10 s. */
    public static JdkWebSocket connect(HttpClient client, URI uri, String... subprotocols) throws Exception {
        return connectAsync(client, uri, subprotocols).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    public static CompletableFuture<JdkWebSocket> connectAsync(HttpClient client, URI uri, String... subprotocols) {
        JdkWebSocket listener = new JdkWebSocket();
        WebSocket.Builder b = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        if (subprotocols.length > 0) {
            b.subprotocols(subprotocols[0], Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return b.buildAsync(uri, listener).thenApply(w -> {
            listener.ws = w;
            return listener;
        });
    }

    /** The JDK's WebSocket, for sends of every kind (fragments, pings, closes). */
    public WebSocket webSocket() {
        return ws;
    }

    /** Sends one whole text message, waiting until it is written. */
    public void sendText(String message) throws Exception {
        ws.sendText(message, true).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Sends one whole binary message, waiting until it is written. */
    public void sendBinary(byte[] message) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(message), true).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Whole messages not yet taken. */
    public BlockingQueue<Message> messages() {
        return messages;
    }

    /** The payloads of the pongs received, in order. */
    public BlockingQueue<byte[]> pongs() {
        return pongs;
    }

    /** Completes with the code of the server's close frame, exceptionally with an error. */
    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    public CompletableFuture<Throwable> error() {
        return error;
    }

    /** Messages delivered so far. */
    public int received() {
        return received.get();
    }

    /**
     * Checks each message from now on with {@code check} (its index, the message) instead of
     * queueing it; a non-null answer is a problem, kept in {@link #problems()}.
     */
    public void check(BiFunction<Integer, Message, String> check) {
        checker = check;
    }

    public Queue<String> problems() {
        return problems;
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
            deliver(new Message(true, text.toString().getBytes(StandardCharsets.UTF_8)));
            text.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        binary.writeBytes(bytes(data));
        if (last) {
            deliver(new Message(false, binary.toByteArray()));
            binary.reset();
        }
        return null;
    }

    private void deliver(Message m) {
        int index = received.getAndIncrement();
        BiFunction<Integer, Message, String> check = checker;
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
        pongs.add(bytes(message));
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

    private static byte[] bytes(ByteBuffer data) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        return b;
    }

    /** The next whole message within 10 s; fails otherwise. */
    public Message next() throws InterruptedException {
        Message m = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (m == null) {
            throw new AssertionError("no message within " + WAIT_SECONDS + " s"
                    + (error.isDone() ? "; error " + error.join() : ""));
        }
        return m;
    }

    /** The next message, which must be text. */
    public String nextText() throws InterruptedException {
        Message m = next();
        if (!m.text()) {
            throw new AssertionError("expected a text message, got " + m.data().length + " binary bytes");
        }
        return m.string();
    }

    /** The next message, which must be binary. */
    public byte[] nextBinary() throws InterruptedException {
        Message m = next();
        if (m.text()) {
            throw new AssertionError("expected a binary message, got text: " + m.string());
        }
        return m.data();
    }

    /** The close code the server sent, within 10 s. */
    public int awaitClose() throws Exception {
        return closeCode.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Takes up to {@code n} messages, waiting at most {@code timeoutMillis} overall. */
    public List<Message> take(int n, long timeoutMillis) throws InterruptedException {
        List<Message> out = new ArrayList<>(n);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (out.size() < n) {
            Message m = messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                break;
            }
            out.add(m);
        }
        return out;
    }

    /** Sends a close 1000 (ignoring a failure: the server may have closed first), then drops the connection. */
    @Override
    public void close() {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> null).join();
        ws.abort();
    }
}
