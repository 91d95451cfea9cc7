package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringhttp.core.testing.RawConnection;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A loop thread that dies anyway (nothing a client sends can do that) tells
 * the embedding code at once, with the server already reporting itself dead
 * and its port closed. The loop is killed from inside, through a task that
 * breaks its private state, so no test-only API is needed.
 */
class LoopFailureTest {

    /** What a listener saw when it was called. */
    private record Call(Throwable cause, Thread thread, boolean running, Throwable failure, List<CloseReason> closes) {
    }

    private final BlockingQueue<CloseReason> closes = new LinkedBlockingQueue<>();
    private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final RingHttpServer server = RingHttpServer.create(ServerConfig.builder()
            .address(InetAddress.getLoopbackAddress()).port(0).maxConnections(4).maxWsConnections(4)
            .outgoingBufferSize(1 << 20).build(), new HttpHandler() {
                @Override
                public void handle(HttpRequest request, HttpResponse response) {
                    response.body("up");
                }

                @Override
                public void onClose(int connectionId, CloseReason reason) {
                    closes.add(reason);
                }
            }, WebSocketHandler.NONE);

    @AfterEach
    void closeServer() {
        server.close();
    }

    private void recordCalls() {
        server.onLoopFailure(cause -> calls.add(new Call(cause, Thread.currentThread(), server.isRunning(),
                server.failure(), List.copyOf(closes))));
    }

    @Test
    void aDyingLoopClosesEverythingThenTellsEveryListenerOnceOnItsThread() throws Exception {
        server.onLoopFailure(cause -> {
            throw new IllegalStateException("a listener that fails does not keep the next one from running");
        });
        recordCalls();
        server.start();
        int port = server.address().getPort();
        try (RawConnection open = new RawConnection(port)) {
            assertThat(open.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").readResponse().bodyText()).isEqualTo("up");

            // No room for ready keys: the next select that finds one throws out of poll() and ends the loop.
            runOnLoop(() -> setField("ready", new SelectionKey[0]));
            new Socket(InetAddress.getLoopbackAddress(), port).close();

            Call call = calls.poll(10, TimeUnit.SECONDS);
            assertThat(call).as("listener called").isNotNull();
            assertThat(call.cause()).isInstanceOf(ArrayIndexOutOfBoundsException.class);
            assertThat(call.thread().getName()).isEqualTo("ringhttp-loop-" + port);
            assertThat(call.running()).as("isRunning() when the listener runs").isFalse();
            assertThat(call.failure()).as("failure() when the listener runs").isSameAs(call.cause());
            assertThat(call.closes()).as("closes reported before the listener runs")
                    .containsExactly(CloseReason.INTERNAL_ERROR);
            assertThat(open.isClosedByPeer()).isTrue();
            assertRefused(port);

            call.thread().join(10_000);
            assertThat(call.thread().isAlive()).isFalse();
            assertThat(calls).as("calls after the first").isEmpty();
            assertThat(server.isRunning()).isFalse();
            assertThat(server.failure()).isSameAs(call.cause());
        }
    }

    @Test
    void aBrokenSelectorStillClosesThePortAndTellsTheListeners() throws Exception {
        recordCalls();
        server.start();
        int port = server.address().getPort();

        // Closing the selector on the loop breaks the next select and the clean-up that selects once more.
        runOnLoop(() -> {
            try {
                ((Selector) getField("selector")).close();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });

        Call call = calls.poll(10, TimeUnit.SECONDS);
        assertThat(call).as("listener called").isNotNull();
        assertThat(call.cause()).isInstanceOf(ClosedSelectorException.class);
        assertThat(call.running()).isFalse();
        assertThat(call.failure()).isSameAs(call.cause());
        assertRefused(port);
    }

    @Test
    void aServerShutDownOnPurposeDoesNotCallTheListeners() throws Exception {
        recordCalls();
        server.start();
        server.close();
        assertThat(server.isRunning()).isFalse();
        assertThat(server.failure()).isNull();
        assertThat(calls.poll(100, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void refusesANullListener() {
        assertThatThrownBy(() -> server.onLoopFailure(null)).isInstanceOf(NullPointerException.class);
    }

    private static void assertRefused(int port) {
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .as("connecting to the dead server's port").isInstanceOf(ConnectException.class);
    }

    /** Runs {@code action} on the loop thread and waits until it ran, so that no later event can overtake it. */
    private void runOnLoop(Runnable action) throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        server.execute(() -> {
            action.run();
            ran.countDown();
        });
        assertThat(ran.await(10, TimeUnit.SECONDS)).as("task ran on the loop").isTrue();
    }

    /** A field of the server's event loop, which owns the selector and the ready keys. */
    private Object getField(String name) {
        try {
            return field(name).get(eventLoop());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private void setField(String name, Object value) {
        try {
            field(name).set(eventLoop(), value);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private Object eventLoop() {
        return server.loop(0).loop;
    }

    private static Field field(String name) throws NoSuchFieldException {
        Field f = EventLoop.class.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
