package dev.ringhttp.core.conformance;

import static dev.ringhttp.core.testing.WsFrames.BINARY;
import static dev.ringhttp.core.testing.WsFrames.CLOSE;
import static dev.ringhttp.core.testing.WsFrames.CONTINUATION;
import static dev.ringhttp.core.testing.WsFrames.FIN;
import static dev.ringhttp.core.testing.WsFrames.PING;
import static dev.ringhttp.core.testing.WsFrames.PONG;
import static dev.ringhttp.core.testing.WsFrames.RSV1;
import static dev.ringhttp.core.testing.WsFrames.RSV2;
import static dev.ringhttp.core.testing.WsFrames.RSV3;
import static dev.ringhttp.core.testing.WsFrames.TEXT;
import static dev.ringhttp.core.testing.WsFrames.closePayload;
import static dev.ringhttp.core.testing.WsFrames.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringhttp.core.HttpRequest;
import dev.ringhttp.core.HttpResponse;
import dev.ringhttp.core.RingHttpServer;
import dev.ringhttp.core.ServerConfig;
import dev.ringhttp.core.WebSocketHandler;
import dev.ringhttp.core.testing.RawWebSocket;
import dev.ringhttp.core.testing.ServerFrame;
import dev.ringhttp.core.testing.TestServer;
import dev.ringhttp.core.testing.WsFrames;
import dev.ringhttp.core.testing.WsFrames.LengthEncoding;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * An Autobahn|Testsuite-style conformance suite (categories 1 to 7: framing, pings and pongs,
 * reserved bits, opcodes, fragmentation, UTF-8, close handling; no extensions) against a core
 * server whose handler echoes every message zero-copy from the ring. Each case runs on a fresh
 * connection with our own raw-socket client and asserts what RFC 6455 requires: the exact echo,
 * the exact pong, the close code the server sends (1000 echoed, 1002, 1007, 1009), and that the
 * server then closes the TCP connection without sending anything else.
 *
 * <p>Case numbers follow Autobahn's where a case has a counterpart there; cases Autobahn does
 * not have (the configured maximum, invalid close codes 5000 and 65535, fragmented close frames,
 * unmasked frames) are numbered after Autobahn's in the same category.
 */
class WebSocketConformanceTest {

    /** The configured maximum message length: above Autobahn's largest framing case (65536). */
    static final int MAX_MESSAGE = 128 * 1024;
    private static final String PATH = "/ws/echo";
    private static final Random MASKS = new Random();

    private static TestServer server;
    private static final AtomicInteger run = new AtomicInteger();
    private static final AtomicInteger passed = new AtomicInteger();
    private static long startNanos;

    @FunctionalInterface
    interface Script {
        void run(RawWebSocket c) throws Exception;
    }

    @BeforeAll
    static void start() {
        RingHttpServer[] holder = new RingHttpServer[1];
        server = TestServer.start(ServerConfig.builder().maxConnections(16).maxWsConnections(16)
                        .maxWsMessageLength(MAX_MESSAGE).outgoingBufferSize(4 << 20),
                (HttpRequest request, HttpResponse response) -> {
                    if (request.isWebSocketUpgrade() && request.pathEquals(PATH)) {
                        response.upgradeToWebSocket(0);
                    } else {
                        response.status(404).body("no\n");
                    }
                },
                new WebSocketHandler() {
                    @Override
                    public void onOpen(int wsId, HttpRequest handshake) {
                    }

                    @Override
                    public void onMessage(int wsId, ByteBuffer payload, boolean text) {
                        holder[0].staging().bytes(payload).sendTo(wsId, text);
                    }
                });
        holder[0] = server.server();
        startNanos = System.nanoTime();
    }

    @AfterAll
    static void stop() {
        server.close();
        System.out.printf("WebSocket conformance: %d cases, %d passed, %d ms%n", run.get(), passed.get(),
                (System.nanoTime() - startNanos) / 1_000_000);
    }

    @TestFactory
    Stream<DynamicNode> autobahnCategories() {
        Map<String, List<DynamicNode>> categories = new LinkedHashMap<>();
        categories.put("1 Framing", framing());
        categories.put("2 Pings/Pongs", pings());
        categories.put("3 Reserved bits", reservedBits());
        categories.put("4 Opcodes", opcodes());
        categories.put("5 Fragmentation", fragmentation());
        categories.put("6 UTF-8 handling", utf8());
        categories.put("7 Close handling", closeHandling());
        return categories.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(), e.getValue()));
    }

    private static DynamicTest c(String id, String name, Script script) {
        return DynamicTest.dynamicTest(id + " " + name, () -> {
            run.incrementAndGet();
            try (RawWebSocket client = RawWebSocket.to(server.port(), PATH).timeoutMillis(5_000).connect()) {
                script.run(client);
            }
            passed.incrementAndGet();
        });
    }

    // ---- 1 Framing ----

    private static final int[] LENGTHS = {0, 125, 126, 127, 128, 65535, 65536};

    private static List<DynamicNode> framing() {
        List<DynamicNode> cases = new ArrayList<>();
        for (int i = 0; i < LENGTHS.length; i++) {
            int n = LENGTHS[i];
            cases.add(c("1.1." + (i + 1), "text payload " + n, cl -> echo(cl, TEXT, text(n), 0)));
        }
        cases.add(c("1.1.8", "text payload 65536 in 997-byte writes", cl -> echo(cl, TEXT, text(65536), 997)));
        for (int i = 0; i < LENGTHS.length; i++) {
            int n = LENGTHS[i];
            cases.add(c("1.2." + (i + 1), "binary payload " + n, cl -> echo(cl, BINARY, binary(n), 0)));
        }
        cases.add(c("1.2.8", "binary payload 65536 in 997-byte writes", cl -> echo(cl, BINARY, binary(65536), 997)));
        cases.add(c("1.3.1", "binary payload of the configured maximum (" + MAX_MESSAGE + ")",
                cl -> echo(cl, BINARY, binary(MAX_MESSAGE), 4096)));
        cases.add(c("1.3.2", "binary payload one byte over the maximum: 1009", cl -> {
            cl.send(frame(FIN | BINARY, new byte[0], MAX_MESSAGE + 1, true));
            cl.expectClose(1009);
        }));
        cases.add(c("1.3.3", "64-bit length with the most significant bit set: 1009", cl -> {
            cl.send(frame(FIN | BINARY, new byte[0], Long.MIN_VALUE + 5, true));
            cl.expectClose(1009);
        }));
        cases.add(c("1.3.4", "text frame split into 1-byte writes", cl -> echo(cl, TEXT, text(300), 1)));
        cases.add(c("1.3.5", "125-byte text, non-minimal 16-bit length (accepted)", cl -> {
            byte[] p = text(125);
            cl.send(WsFrames.frame(FIN | TEXT, p, MASKS.nextInt(), true, LengthEncoding.SIXTEEN)).expectText(p);
            cl.closeNormally();
        }));
        cases.add(c("1.3.6", "two messages in one write", cl -> {
            cl.send(concat(frame(FIN | TEXT, utf8("one")), frame(FIN | BINARY, binary(70000))));
            cl.expectText(utf8("one")).expectMessage(BINARY, binary(70000));
            cl.closeNormally();
        }));
        cases.add(c("1.3.7", "unmasked client frame: 1002", cl -> {
            cl.send(frame(FIN | TEXT, utf8("hello"), 5, false));
            cl.expectClose(1002);
        }));
        return cases;
    }

    private static void echo(RawWebSocket cl, int opcode, byte[] payload, int chunk) throws Exception {
        byte[] f = frame(FIN | opcode, payload);
        if (chunk > 0) {
            cl.send(f, chunk);
        } else {
            cl.send(f);
        }
        cl.expectMessage(opcode, payload);
        cl.closeNormally();
    }

    // ---- 2 Pings/Pongs ----

    private static List<DynamicNode> pings() {
        List<DynamicNode> cases = new ArrayList<>();
        cases.add(c("2.1", "ping without payload", cl -> pingPong(cl, new byte[0], 0)));
        cases.add(c("2.2", "ping with small text payload", cl -> pingPong(cl, utf8("Hello, world!"), 0)));
        cases.add(c("2.3", "ping with small binary payload", cl -> pingPong(cl, new byte[] {0, (byte) 0xFF, (byte) 0xFE, 0x7F}, 0)));
        cases.add(c("2.4", "ping with 125-byte binary payload", cl -> pingPong(cl, binary(125), 0)));
        cases.add(c("2.5", "ping with 126-byte payload: 1002", cl -> {
            cl.send(frame(FIN | PING, binary(126)));
            cl.expectClose(1002);
        }));
        cases.add(c("2.6", "ping with 125-byte payload in 1-byte writes", cl -> pingPong(cl, binary(125), 1)));
        cases.add(c("2.7", "unsolicited pong without payload is ignored", cl -> {
            cl.send(frame(FIN | PONG, new byte[0]));
            cl.closeNormally();
        }));
        cases.add(c("2.8", "unsolicited pong with payload is ignored", cl -> {
            cl.send(frame(FIN | PONG, utf8("unsolicited")));
            cl.closeNormally();
        }));
        cases.add(c("2.9", "unsolicited pong, then ping: one pong for the ping", cl -> {
            cl.send(concat(frame(FIN | PONG, utf8("unsolicited")), frame(FIN | PING, utf8("ping"))));
            cl.expectPong(utf8("ping"));
            cl.closeNormally();
        }));
        cases.add(c("2.10", "10 pings, each answered before the next", cl -> {
            for (int i = 0; i < 10; i++) {
                cl.send(frame(FIN | PING, utf8("payload-" + i))).expectPong(utf8("payload-" + i));
            }
            cl.closeNormally();
        }));
        cases.add(c("2.11", "10 pings in one write: pongs in order, the last one answered", cl -> {
            byte[][] pings = new byte[10][];
            for (int i = 0; i < 10; i++) {
                pings[i] = frame(FIN | PING, utf8("payload-" + i));
            }
            cl.send(concat(pings));
            // §5.5.3 lets an endpoint answer only the most recent of several pings
            int last = -1;
            while (last < 9) {
                ServerFrame f = cl.readFrame();
                assertThat(f.opcode()).isEqualTo(PONG);
                int i = Integer.parseInt(new String(f.payload(), StandardCharsets.UTF_8).substring(8));
                assertThat(i).as("pongs in order").isGreaterThan(last);
                last = i;
            }
            cl.closeNormally();
        }));
        cases.add(c("2.12", "ping with payload sent unmasked: 1002", cl -> {
            cl.send(frame(FIN | PING, utf8("ping"), 4, false));
            cl.expectClose(1002);
        }));
        return cases;
    }

    private static void pingPong(RawWebSocket cl, byte[] payload, int chunk) throws Exception {
        byte[] f = frame(FIN | PING, payload);
        if (chunk > 0) {
            cl.send(f, chunk);
        } else {
            cl.send(f);
        }
        cl.expectPong(payload);
        cl.closeNormally();
    }

    // ---- 3 Reserved bits ----

    private static List<DynamicNode> reservedBits() {
        List<DynamicNode> cases = new ArrayList<>();
        cases.add(c("3.1", "RSV1 on a small text message: 1002", cl -> {
            cl.send(frame(FIN | RSV1 | TEXT, utf8("Hello, world!")));
            cl.expectClose(1002);
        }));
        cases.add(c("3.2", "RSV2 after a valid message: echo, then 1002", cl -> {
            cl.send(concat(frame(FIN | TEXT, utf8("Hello, world!")), frame(FIN | RSV2 | TEXT, utf8("Hello, world!")),
                    frame(FIN | PING, new byte[0])));
            cl.expectText(utf8("Hello, world!"));
            cl.expectClose(1002);
        }));
        cases.add(c("3.3", "RSV1+RSV2 in 1-byte writes after a valid message: echo, then 1002", cl -> {
            cl.send(frame(FIN | TEXT, utf8("Hello, world!"))).expectText(utf8("Hello, world!"));
            cl.send(concat(frame(FIN | RSV1 | RSV2 | TEXT, utf8("Hello, world!")), frame(FIN | PING, new byte[0])), 1);
            cl.expectClose(1002);
        }));
        cases.add(c("3.4", "RSV3 on a text message, with 1-byte writes and pauses: 1002", cl -> {
            cl.send(frame(FIN | TEXT, utf8("Hello, world!"))).expectText(utf8("Hello, world!"));
            cl.sendSlowly(frame(FIN | RSV3 | TEXT, utf8("Hello, world!")), 1, 1);
            cl.expectClose(1002);
        }));
        cases.add(c("3.5", "RSV1+RSV3 on a binary message: 1002", cl -> {
            cl.send(frame(FIN | RSV1 | RSV3 | BINARY, binary(16)));
            cl.expectClose(1002);
        }));
        cases.add(c("3.6", "RSV2+RSV3 on a ping: 1002", cl -> {
            cl.send(frame(FIN | RSV2 | RSV3 | PING, utf8("ping")));
            cl.expectClose(1002);
        }));
        cases.add(c("3.7", "all RSV bits on a close: 1002", cl -> {
            cl.send(frame(FIN | RSV1 | RSV2 | RSV3 | CLOSE, closePayload(1000, new byte[0])));
            cl.expectClose(1002);
        }));
        cases.add(c("3.8", "RSV1 on a continuation frame: 1002", cl -> {
            cl.send(concat(frame(TEXT, utf8("frag")), frame(FIN | RSV1 | CONTINUATION, utf8("ment"))));
            cl.expectClose(1002);
        }));
        return cases;
    }

    // ---- 4 Opcodes ----

    private static List<DynamicNode> opcodes() {
        List<DynamicNode> cases = new ArrayList<>();
        int[] dataOpcodes = {3, 4, 5, 6, 7};
        for (int i = 0; i < dataOpcodes.length; i++) {
            int op = dataOpcodes[i];
            cases.add(c("4.1." + (i + 1), "reserved non-control opcode " + op + " after a valid message: 1002", cl -> {
                cl.send(concat(frame(FIN | TEXT, utf8("Hello")), frame(FIN | op, binary(op == 3 ? 0 : 12)),
                        frame(FIN | PING, new byte[0])));
                cl.expectText(utf8("Hello"));
                cl.expectClose(1002);
            }));
        }
        int[] controlOpcodes = {11, 12, 13, 14, 15};
        for (int i = 0; i < controlOpcodes.length; i++) {
            int op = controlOpcodes[i];
            cases.add(c("4.2." + (i + 1), "reserved control opcode " + op + " after a valid message: 1002", cl -> {
                cl.send(concat(frame(FIN | TEXT, utf8("Hello")), frame(FIN | op, binary(op == 11 ? 0 : 12)),
                        frame(FIN | PING, new byte[0])));
                cl.expectText(utf8("Hello"));
                cl.expectClose(1002);
            }));
        }
        cases.add(c("4.3.1", "reserved opcode inside a fragmented message: 1002", cl -> {
            cl.send(concat(frame(TEXT, utf8("frag")), frame(FIN | 5, utf8("x"))));
            cl.expectClose(1002);
        }));
        return cases;
    }

    // ---- 5 Fragmentation ----

    private static List<DynamicNode> fragmentation() {
        List<DynamicNode> cases = new ArrayList<>();
        byte[] f1 = utf8("fragment1");
        byte[] f2 = utf8("fragment2");
        byte[] joined = utf8("fragment1fragment2");
        cases.add(c("5.1", "ping in 2 fragments: 1002", cl -> {
            cl.send(concat(frame(PING, f1), frame(FIN | CONTINUATION, f2)));
            cl.expectClose(1002);
        }));
        cases.add(c("5.2", "pong in 2 fragments: 1002", cl -> {
            cl.send(concat(frame(PONG, f1), frame(FIN | CONTINUATION, f2)));
            cl.expectClose(1002);
        }));
        byte[] twoFragments = concat(frame(TEXT, f1), frame(FIN | CONTINUATION, f2));
        cases.add(c("5.3", "text in 2 fragments", cl -> {
            cl.send(twoFragments).expectText(joined);
            cl.closeNormally();
        }));
        cases.add(c("5.4", "text in 2 fragments, written separately", cl -> {
            cl.send(frame(TEXT, f1)).send(frame(FIN | CONTINUATION, f2)).expectText(joined);
            cl.closeNormally();
        }));
        cases.add(c("5.5", "text in 2 fragments, 1-byte writes", cl -> {
            cl.send(twoFragments, 1).expectText(joined);
            cl.closeNormally();
        }));
        byte[] withPing = concat(frame(TEXT, f1), frame(FIN | PING, utf8("ping")), frame(FIN | CONTINUATION, f2));
        cases.add(c("5.6", "text in 2 fragments with a ping between", cl -> {
            cl.send(withPing).expectPong(utf8("ping")).expectText(joined);
            cl.closeNormally();
        }));
        cases.add(c("5.7", "text in 2 fragments with a ping between, written separately", cl -> {
            cl.send(frame(TEXT, f1)).send(frame(FIN | PING, utf8("ping"))).expectPong(utf8("ping"));
            cl.send(frame(FIN | CONTINUATION, f2)).expectText(joined);
            cl.closeNormally();
        }));
        cases.add(c("5.8", "text in 2 fragments with a ping between, 1-byte writes", cl -> {
            cl.sendAll(withPing, 1).expectPong(utf8("ping")).expectText(joined);
            cl.closeNormally();
        }));
        byte[] contFinNoStart = concat(frame(FIN | CONTINUATION, f1), frame(FIN | TEXT, f2));
        cases.add(c("5.9", "final continuation without a start: 1002", cl -> {
            cl.send(contFinNoStart);
            cl.expectClose(1002);
        }));
        cases.add(c("5.10", "final continuation without a start, separate writes", cl -> {
            cl.send(frame(FIN | CONTINUATION, f1));
            cl.expectClose(1002);
        }));
        cases.add(c("5.11", "final continuation without a start, 1-byte writes: 1002", cl -> {
            cl.send(contFinNoStart, 1);
            cl.expectClose(1002);
        }));
        byte[] contNoStart = concat(frame(CONTINUATION, f1), frame(FIN | TEXT, f2));
        cases.add(c("5.12", "non-final continuation without a start: 1002", cl -> {
            cl.send(contNoStart);
            cl.expectClose(1002);
        }));
        cases.add(c("5.13", "non-final continuation without a start, separate writes: 1002", cl -> {
            cl.send(frame(CONTINUATION, f1));
            cl.expectClose(1002);
        }));
        cases.add(c("5.14", "non-final continuation without a start, 1-byte writes: 1002", cl -> {
            cl.send(contNoStart, 1);
            cl.expectClose(1002);
        }));
        cases.add(c("5.15", "valid fragmented message, then a continuation without a start: echo, 1002", cl -> {
            cl.send(concat(frame(TEXT, f1), frame(FIN | CONTINUATION, f2), frame(CONTINUATION, f1),
                    frame(FIN | TEXT, f2)));
            cl.expectText(joined);
            cl.expectClose(1002);
        }));
        cases.add(c("5.16", "continuations (non-final, final) before any start: 1002", cl -> {
            cl.send(concat(frame(CONTINUATION, f1), frame(FIN | CONTINUATION, f2), frame(TEXT, f1),
                    frame(FIN | CONTINUATION, f2)));
            cl.expectClose(1002);
        }));
        cases.add(c("5.17", "final continuations before any start: 1002", cl -> {
            cl.send(concat(frame(FIN | CONTINUATION, f1), frame(FIN | CONTINUATION, f2), frame(TEXT, f1),
                    frame(FIN | CONTINUATION, f2)));
            cl.expectClose(1002);
        }));
        cases.add(c("5.18", "a new text message inside a fragmented one: 1002", cl -> {
            cl.send(concat(frame(TEXT, f1), frame(FIN | TEXT, f2)));
            cl.expectClose(1002);
        }));
        cases.add(c("5.19", "5 text fragments with 2 pings between, with pauses", cl -> {
            cl.send(frame(TEXT, utf8("a"))).send(frame(CONTINUATION, utf8("b")));
            cl.send(frame(FIN | PING, utf8("p1"))).expectPong(utf8("p1"));
            Thread.sleep(20);
            cl.send(frame(CONTINUATION, utf8("c"))).send(frame(CONTINUATION, utf8("d")));
            cl.send(frame(FIN | PING, utf8("p2"))).expectPong(utf8("p2"));
            Thread.sleep(20);
            cl.send(frame(FIN | CONTINUATION, utf8("e"))).expectText(utf8("abcde"));
            cl.closeNormally();
        }));
        cases.add(c("5.20", "5 text fragments with 2 pings between, one write", cl -> {
            cl.send(concat(frame(TEXT, utf8("a")), frame(CONTINUATION, utf8("b")), frame(FIN | PING, utf8("p1")),
                    frame(CONTINUATION, utf8("c")), frame(CONTINUATION, utf8("d")), frame(FIN | PING, utf8("p2")),
                    frame(FIN | CONTINUATION, utf8("e"))));
            // two pings in one read: §5.5.3 allows answering only the latest, so at least "p2"
            ServerFrame f = cl.readFrame();
            assertThat(f.opcode()).isEqualTo(PONG);
            if (new String(f.payload(), StandardCharsets.UTF_8).equals("p1")) {
                cl.expectPong(utf8("p2"));
            } else {
                assertThat(f.payload()).isEqualTo(utf8("p2"));
            }
            cl.expectText(utf8("abcde"));
            cl.closeNormally();
        }));
        cases.add(c("5.21", "binary in 3 fragments of 40000 bytes, chunked writes", cl -> {
            byte[] all = binary(120000);
            cl.send(concat(frame(BINARY, java.util.Arrays.copyOfRange(all, 0, 40000)),
                    frame(CONTINUATION, java.util.Arrays.copyOfRange(all, 40000, 80000)),
                    frame(FIN | CONTINUATION, java.util.Arrays.copyOfRange(all, 80000, 120000))), 1500);
            cl.expectMessage(BINARY, all);
            cl.closeNormally();
        }));
        cases.add(c("5.22", "fragments adding up to one byte over the maximum: 1009", cl -> {
            cl.send(concat(frame(BINARY, binary(MAX_MESSAGE / 2)), frame(FIN | CONTINUATION, new byte[0],
                    MAX_MESSAGE / 2 + 1, true)));
            cl.expectClose(1009);
        }));
        cases.add(c("5.23", "close in 2 fragments: 1002", cl -> {
            cl.send(concat(frame(CLOSE, closePayload(1000, new byte[0])), frame(FIN | CONTINUATION, new byte[0])));
            cl.expectClose(1002);
        }));
        cases.add(c("5.24", "a new binary message inside a fragmented text one: 1002", cl -> {
            cl.send(concat(frame(TEXT, f1), frame(BINARY, f2)));
            cl.expectClose(1002);
        }));
        return cases;
    }

    // ---- 6 UTF-8 ----

    private static final byte[] KOSME = hex("cebae1bdb9cf83cebcceb5");
    private static final byte[] HELLO_UTF8 = utf8("Hello-µ@ßöäüàá-UTF-8!!");
    /** Autobahn 6.3.1: κόσμε, then an encoded surrogate, then "edited". */
    private static final byte[] INVALID_SURROGATE_TEXT = hex("cebae1bdb9cf83cebcceb5eda080656469746564");

    private static List<DynamicNode> utf8() {
        List<DynamicNode> cases = new ArrayList<>();
        cases.add(c("6.1.1", "empty text", cl -> validText(cl, new byte[0])));
        cases.add(c("6.1.2", "3 empty text fragments", cl -> {
            cl.send(concat(frame(TEXT, new byte[0]), frame(CONTINUATION, new byte[0]),
                    frame(FIN | CONTINUATION, new byte[0]))).expectText(new byte[0]);
            cl.closeNormally();
        }));
        cases.add(c("6.1.3", "empty, non-empty, empty fragments", cl -> {
            cl.send(concat(frame(TEXT, new byte[0]), frame(CONTINUATION, utf8("middle")),
                    frame(FIN | CONTINUATION, new byte[0]))).expectText(utf8("middle"));
            cl.closeNormally();
        }));
        cases.add(c("6.2.1", "valid UTF-8 in one frame", cl -> validText(cl, HELLO_UTF8)));
        cases.add(c("6.2.2", "valid UTF-8 in 2 fragments split at a code point", cl -> {
            cl.send(concat(frame(TEXT, java.util.Arrays.copyOfRange(HELLO_UTF8, 0, 8)),
                    frame(FIN | CONTINUATION, java.util.Arrays.copyOfRange(HELLO_UTF8, 8, HELLO_UTF8.length))));
            cl.expectText(HELLO_UTF8);
            cl.closeNormally();
        }));
        cases.add(c("6.2.3", "valid UTF-8 in 1-byte writes", cl -> {
            cl.send(frame(FIN | TEXT, HELLO_UTF8), 1).expectText(HELLO_UTF8);
            cl.closeNormally();
        }));
        cases.add(c("6.2.4", "valid UTF-8 with every byte in its own fragment", cl -> {
            cl.send(fragmentEachByte(KOSME)).expectText(KOSME);
            cl.closeNormally();
        }));
        cases.add(c("6.3.1", "invalid UTF-8 (encoded surrogate) in one frame: 1007", cl -> invalidText(cl, INVALID_SURROGATE_TEXT)));
        cases.add(c("6.3.2", "invalid UTF-8 with every byte in its own fragment: 1007", cl -> {
            cl.send(fragmentEachByte(INVALID_SURROGATE_TEXT));
            cl.expectClose(1007);
        }));
        cases.add(c("6.4.1", "fail fast: invalid in the 2nd of 3 fragments, closed before the 3rd is sent", cl -> {
            cl.send(frame(TEXT, KOSME)).send(frame(CONTINUATION, hex("f4908080")));
            cl.expectClose(1007);
        }));
        cases.add(c("6.4.2", "fail fast: invalid sequence split across fragments, closed before the last", cl -> {
            cl.send(frame(TEXT, concat(KOSME, hex("f4")))).send(frame(CONTINUATION, hex("90")));
            cl.expectClose(1007);
        }));
        cases.add(c("6.4.3", "fail fast: invalid bytes in a partial frame, closed before the frame ends", cl -> {
            byte[] payload = concat(KOSME, hex("f4908080"), utf8("edited"));
            byte[] f = frame(FIN | TEXT, payload);
            int invalidEnd = f.length - 6; // header, mask, κόσμε and the invalid sequence; not "edited"
            cl.send(java.util.Arrays.copyOf(f, invalidEnd));
            cl.expectClose(1007);
        }));
        cases.add(c("6.4.4", "fail fast: invalid sequence split across TCP writes inside one frame", cl -> {
            byte[] payload = concat(KOSME, hex("f4908080"), utf8("edited"));
            byte[] f = frame(FIN | TEXT, payload);
            int split = f.length - 9; // after the 0xF4 lead
            cl.send(java.util.Arrays.copyOf(f, split));
            Thread.sleep(10);
            cl.send(java.util.Arrays.copyOfRange(f, split, split + 1)); // 0x90: invalid after 0xF4
            cl.expectClose(1007);
        }));
        cases.add(c("6.5.1", "valid: κόσμε", cl -> validText(cl, KOSME)));
        for (int n = 1; n <= KOSME.length; n++) {
            byte[] prefix = java.util.Arrays.copyOf(KOSME, n);
            boolean boundary = n == 2 || n == 5 || n == 7 || n == 9 || n == 11;
            cases.add(c("6.6." + n, "κόσμε's first " + n + " bytes: " + (boundary ? "echo" : "1007"),
                    cl -> textCase(cl, prefix, boundary)));
        }
        int id = 1;
        for (Object[] sample : UTF8_SAMPLES) {
            String group = (String) sample[0];
            byte[] bytes = hex((String) sample[1]);
            boolean valid = (Boolean) sample[2];
            String name = group + " " + sample[1] + ": " + (valid ? "echo" : "1007");
            cases.add(c("6." + group.substring(0, group.indexOf(' ')) + "." + id++, name.substring(group.indexOf(' ') + 1),
                    cl -> textCase(cl, bytes, valid)));
            if (!valid) {
                cases.add(c("6." + group.substring(0, group.indexOf(' ')) + "." + id++,
                        name.substring(group.indexOf(' ') + 1) + " (fragmented per byte)", cl -> {
                            cl.send(fragmentEachByte(bytes));
                            cl.expectClose(1007);
                        }));
            }
        }
        return cases;
    }

    /**
     * Autobahn 6.7 to 6.23 (from Markus Kuhn's UTF-8 decoder stress test): {group, hex bytes, valid}.
     * Valid noncharacters (U+FFFE and friends) are valid UTF-8 and must be echoed.
     */
    private static final Object[][] UTF8_SAMPLES = {
        {"7 first possible sequence of each length", "00", true},
        {"7 first possible sequence of each length", "c280", true},
        {"7 first possible sequence of each length", "e0a080", true},
        {"7 first possible sequence of each length", "f0908080", true},
        {"8 5- and 6-byte sequences", "f888808080", false},
        {"8 5- and 6-byte sequences", "fc8480808080", false},
        {"9 last possible sequence of each length", "7f", true},
        {"9 last possible sequence of each length", "dfbf", true},
        {"9 last possible sequence of each length", "efbfbf", true},
        {"9 last possible sequence of each length", "f48fbfbf", true},
        {"10 beyond U+10FFFF", "f7bfbfbf", false},
        {"10 beyond U+10FFFF", "fbbfbfbfbf", false},
        {"10 beyond U+10FFFF", "fdbfbfbfbfbf", false},
        {"11 other boundary conditions", "ed9fbf", true},
        {"11 other boundary conditions", "ee8080", true},
        {"11 other boundary conditions", "efbfbd", true},
        {"11 other boundary conditions", "f48fbfbf", true},
        {"11 other boundary conditions", "f4908080", false},
        {"12 unexpected continuation bytes", "80", false},
        {"12 unexpected continuation bytes", "bf", false},
        {"12 unexpected continuation bytes", "80bf", false},
        {"12 unexpected continuation bytes", "80bf80bf80bf80", false},
        {"12 unexpected continuation bytes", "41c3a980", false},
        {"13 lonely start characters", "c020", false},
        {"13 lonely start characters", "df20", false},
        {"13 lonely start characters", "e020", false},
        {"13 lonely start characters", "ef20", false},
        {"13 lonely start characters", "f020", false},
        {"13 lonely start characters", "f720", false},
        {"14 sequences with the last byte missing", "c2", false},
        {"14 sequences with the last byte missing", "e0a0", false},
        {"14 sequences with the last byte missing", "f09080", false},
        {"14 sequences with the last byte missing", "df", false},
        {"14 sequences with the last byte missing", "efbf", false},
        {"14 sequences with the last byte missing", "f48fbf", false},
        {"15 concatenated incomplete sequences", "c2e0a0f09080dfefbff48fbf", false},
        {"16 impossible bytes", "fe", false},
        {"16 impossible bytes", "ff", false},
        {"16 impossible bytes", "fefeffff", false},
        {"17 overlong ASCII", "c0af", false},
        {"17 overlong ASCII", "e080af", false},
        {"17 overlong ASCII", "f08080af", false},
        {"17 overlong ASCII", "f8808080af", false},
        {"17 overlong ASCII", "fc80808080af", false},
        {"18 maximum overlong sequences", "c1bf", false},
        {"18 maximum overlong sequences", "e09fbf", false},
        {"18 maximum overlong sequences", "f08fbfbf", false},
        {"19 overlong NUL", "c080", false},
        {"19 overlong NUL", "e08080", false},
        {"19 overlong NUL", "f0808080", false},
        {"20 single UTF-16 surrogates", "eda080", false},
        {"20 single UTF-16 surrogates", "edadbf", false},
        {"20 single UTF-16 surrogates", "edae80", false},
        {"20 single UTF-16 surrogates", "edafbf", false},
        {"20 single UTF-16 surrogates", "edb080", false},
        {"20 single UTF-16 surrogates", "edbe80", false},
        {"20 single UTF-16 surrogates", "edbfbf", false},
        {"21 paired UTF-16 surrogates", "eda080edb080", false},
        {"21 paired UTF-16 surrogates", "eda080edbfbf", false},
        {"21 paired UTF-16 surrogates", "edafbfedb080", false},
        {"21 paired UTF-16 surrogates", "edafbfedbfbf", false},
        {"22 noncharacters", "efbfbe", true},
        {"22 noncharacters", "efbfbf", true},
        {"22 noncharacters", "f09fbfbe", true},
        {"22 noncharacters", "f48fbfbe", true},
        {"22 noncharacters", "efb790", true},
        {"23 special characters", "efbbbf", true},
        {"23 special characters", "efbfbd", true},
        {"23 special characters", "e282ac", true},
        {"23 special characters", "f09f9880", true},
    };

    private static void textCase(RawWebSocket cl, byte[] bytes, boolean valid) throws Exception {
        if (valid) {
            validText(cl, bytes);
        } else {
            invalidText(cl, bytes);
        }
    }

    private static void validText(RawWebSocket cl, byte[] bytes) throws Exception {
        cl.send(frame(FIN | TEXT, bytes)).expectText(bytes);
        cl.closeNormally();
    }

    private static void invalidText(RawWebSocket cl, byte[] bytes) throws Exception {
        cl.send(frame(FIN | TEXT, bytes));
        cl.expectClose(1007);
    }

    /** A text message with every payload byte in its own frame. */
    private static byte[] fragmentEachByte(byte[] bytes) {
        byte[][] frames = new byte[bytes.length][];
        for (int i = 0; i < bytes.length; i++) {
            int first = (i == 0 ? TEXT : CONTINUATION) | (i == bytes.length - 1 ? FIN : 0);
            frames[i] = frame(first, new byte[] {bytes[i]});
        }
        return concat(frames);
    }

    // ---- 7 Close handling ----

    private static List<DynamicNode> closeHandling() {
        List<DynamicNode> cases = new ArrayList<>();
        cases.add(c("7.1.1", "echo, then a normal close", cl -> {
            cl.send(frame(FIN | TEXT, utf8("Hello World!"))).expectText(utf8("Hello World!"));
            cl.closeNormally();
        }));
        cases.add(c("7.1.2", "two close frames: one close back", cl -> {
            cl.send(concat(frame(FIN | CLOSE, closePayload(1000, new byte[0])),
                    frame(FIN | CLOSE, closePayload(1000, new byte[0]))));
            cl.expectClose(1000);
        }));
        cases.add(c("7.1.3", "ping after the close is ignored", cl -> {
            cl.send(concat(frame(FIN | CLOSE, closePayload(1000, new byte[0])), frame(FIN | PING, utf8("late"))));
            cl.expectClose(1000);
        }));
        cases.add(c("7.1.4", "text after the close is not echoed", cl -> {
            cl.send(concat(frame(FIN | CLOSE, closePayload(1000, new byte[0])), frame(FIN | TEXT, utf8("late"))));
            cl.expectClose(1000);
        }));
        cases.add(c("7.1.5", "close inside a fragmented message: the message is dropped", cl -> {
            cl.send(concat(frame(TEXT, utf8("fragment1")), frame(FIN | CLOSE, closePayload(1000, new byte[0])),
                    frame(FIN | CONTINUATION, utf8("fragment2"))));
            cl.expectClose(1000);
        }));
        cases.add(c("7.1.6", "large message, then a close: echo first, then the close", cl -> {
            byte[] big = text(100_000);
            cl.send(concat(frame(FIN | TEXT, big), frame(FIN | CLOSE, closePayload(1000, new byte[0]))));
            cl.expectText(big);
            cl.expectClose(1000);
        }));
        cases.add(c("7.1.7", "data after the close in a later write is not echoed", cl -> {
            cl.send(frame(FIN | CLOSE, closePayload(1000, new byte[0])));
            Thread.sleep(5);
            try {
                cl.send(frame(FIN | TEXT, utf8("late")));
            } catch (java.io.IOException alreadyClosed) {
                // the server may have closed already; nothing was echoed either way
            }
            cl.expectClose(1000);
        }));
        cases.add(c("7.3.1", "close without payload: close 1000 back", cl -> {
            cl.send(frame(FIN | CLOSE, new byte[0]));
            cl.expectClose(1000);
        }));
        cases.add(c("7.3.2", "close with a 1-byte payload: 1002", cl -> {
            cl.send(frame(FIN | CLOSE, new byte[] {0x03}));
            cl.expectClose(1002);
        }));
        cases.add(c("7.3.3", "close with code 1000 only", cl -> {
            cl.send(frame(FIN | CLOSE, closePayload(1000, new byte[0])));
            cl.expectClose(1000);
        }));
        cases.add(c("7.3.4", "close with code and reason: code echoed", cl -> {
            cl.send(frame(FIN | CLOSE, closePayload(1000, utf8("Hello World!"))));
            cl.expectClose(1000);
        }));
        cases.add(c("7.3.5", "close with a 123-byte reason", cl -> {
            cl.send(frame(FIN | CLOSE, closePayload(1000, text(123))));
            cl.expectClose(1000);
        }));
        cases.add(c("7.3.6", "close with a 124-byte reason (126-byte payload): 1002", cl -> {
            cl.send(frame(FIN | CLOSE, closePayload(1000, text(124))));
            cl.expectClose(1002);
        }));
        cases.add(c("7.3.7", "close with a multi-byte UTF-8 reason", cl -> {
            cl.send(frame(FIN | CLOSE, closePayload(1001, KOSME)));
            cl.expectClose(1001);
        }));
        cases.add(c("7.5.1", "close with invalid UTF-8 reason: 1007", cl -> {
            cl.send(frame(FIN | CLOSE, closePayload(1000, INVALID_SURROGATE_TEXT)));
            cl.expectClose(1007);
        }));
        cases.add(c("7.5.2", "close with a truncated UTF-8 reason: 1007", cl -> {
            cl.send(frame(FIN | CLOSE, closePayload(1000, hex("cebae1bd"))));
            cl.expectClose(1007);
        }));
        // RFC 6455 §7.4.1 and the IANA registry: 1012-1014 are registered, so they are valid too
        int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999};
        for (int i = 0; i < valid.length; i++) {
            int code = valid[i];
            cases.add(c("7.7." + (i + 1), "valid close code " + code + " is echoed", cl -> {
                cl.send(frame(FIN | CLOSE, closePayload(code, utf8("bye"))));
                cl.expectClose(code);
            }));
        }
        // 1004 reserved; 1005, 1006, 1015 must not be sent; 0-999 unused; 1016-2999 unassigned; > 4999 undefined
        int[] invalid = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999};
        for (int i = 0; i < invalid.length; i++) {
            int code = invalid[i];
            cases.add(c("7.9." + (i + 1), "invalid close code " + code + ": 1002", cl -> {
                cl.send(frame(FIN | CLOSE, closePayload(code, new byte[0])));
                cl.expectClose(1002);
            }));
        }
        int[] outOfRange = {5000, 65535};
        for (int i = 0; i < outOfRange.length; i++) {
            int code = outOfRange[i];
            cases.add(c("7.13." + (i + 1), "close code " + code + " outside the defined ranges: 1002", cl -> {
                cl.send(frame(FIN | CLOSE, closePayload(code, new byte[0])));
                cl.expectClose(1002);
            }));
        }
        return cases;
    }

    // ---- payloads ----

    /** A frame masked with a fresh random key, as clients mask (§5.3). */
    private static byte[] frame(int firstByte, byte[] payload) {
        return WsFrames.frame(firstByte, payload, MASKS.nextInt());
    }

    /** A frame whose header announces {@code announced} bytes; {@code payload} may be shorter. */
    private static byte[] frame(int firstByte, byte[] payload, long announced, boolean masked) {
        return WsFrames.raw(firstByte, announced, payload, MASKS.nextInt(), masked, LengthEncoding.MINIMAL);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    /** {@code n} bytes of ASCII text. */
    private static byte[] text(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('*' + i % 80);
        }
        return b;
    }

    /** {@code n} pseudo-random bytes, the same for the same {@code n}. */
    private static byte[] binary(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
