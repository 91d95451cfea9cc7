package dev.ringhttp.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Tasks run in the order they were handed over, and a task that re-queues itself waits for the next pass. */
class ExecuteTest {

    @Test
    void aTaskThatRequeuesItselfRunsOncePerTurn() throws Exception {
        RingHttpServer server = RingHttpServer.create(ServerConfig.builder().address(InetAddress.getLoopbackAddress())
                .port(0).maxConnections(2).maxWsConnections(2).outgoingBufferSize(1 << 16).maxWsMessageLength(1024)
                .build(), (request, response) -> { }, WebSocketHandler.NONE);
        server.listen();
        AtomicInteger runs = new AtomicInteger();
        server.execute(new Runnable() {
            @Override
            public void run() {
                runs.incrementAndGet();
                server.execute(this);
            }
        });
        for (int turn = 1; turn <= 5; turn++) {
            server.poll(0);
            // poll runs the queue twice, before selecting and after servicing sockets; each pass runs only
            // what was queued before it began, so the task runs once per pass, not over and over.
            assertThat(runs.get()).isEqualTo(2 * turn);
        }
        server.shutdown(java.time.Duration.ZERO);
    }

    @Test
    void tasksFromOtherThreadsAllRunInOrder() throws Exception {
        RingHttpServer server = RingHttpServer.create(ServerConfig.builder().address(InetAddress.getLoopbackAddress())
                .port(0).maxConnections(2).maxWsConnections(2).outgoingBufferSize(1 << 16).maxWsMessageLength(1024)
                .build(), (request, response) -> { }, WebSocketHandler.NONE);
        server.start();
        try {
            java.util.List<Integer> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < 10_000; i++) {
                int n = i;
                server.execute(() -> seen.add(n));
            }
            server.execute(done::countDown);
            assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(seen).hasSize(10_000);
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i)).isEqualTo(i);
            }
        } finally {
            server.close();
        }
    }
}
