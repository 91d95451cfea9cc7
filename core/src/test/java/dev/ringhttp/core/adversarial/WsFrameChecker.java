package dev.ringhttp.core.adversarial;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads one WebSocket's server frames on a thread of its own and checks them as they come: every
 * echo equals the next message the client sent (bytes and text/binary), in order, none lost or
 * extra; broadcasts are intact and gap-free per source ({@link BroadcastTracker}); pongs answer the
 * pings sent, in order (the server may skip a ping, RFC 6455 §5.5.3, never invent or reorder one);
 * frames are unfragmented with no reserved bits.
 */
final class WsFrameChecker {

    private record Echo(byte[] payload, boolean text, String label) {
    }

    private final ClientTag tag;
    private final Violations violations;
    private final BlockingQueue<Echo> echoes = new LinkedBlockingQueue<>();
    private final BlockingQueue<byte[]> pings = new LinkedBlockingQueue<>();
    private final BroadcastTracker broadcasts = new BroadcastTracker();
    private final Object progress = new Object();
    private volatile int echoed;
    private volatile int closeCode = -1;
    private volatile String end;
    private volatile boolean broken;
    private volatile boolean closingLocally;
    private Thread thread;

    WsFrameChecker(ClientTag tag, Violations violations) {
        this.tag = tag;
        this.violations = violations;
    }

    void expectEcho(byte[] payload, boolean text, String label) {
        echoes.add(new Echo(payload, text, label));
    }

    void expectPong(byte[] ping) {
        pings.add(ping);
    }

    void start(Socket socket, InputStream in, long stallMillis) {
        thread = new Thread(() -> run(in, stallMillis), "adv-ws-reader-" + tag);
        thread.setDaemon(true);
        thread.start();
    }

    private void run(InputStream in, long stallMillis) {
        SplitWriter.pause(stallMillis);
        String how;
        try {
            while (true) {
                WsWire.Frame f = WsWire.read(in);
                if (f.rsv() != 0 || !f.fin()) {
                    fail("server frame fragmented or with reserved bits", "first byte 0x" + Integer.toHexString(f.first()));
                    how = "bad frame";
                    break;
                }
                if (f.opcode() == WsWire.TEXT || f.opcode() == WsWire.BINARY) {
                    if (!data(f)) {
                        how = "bad data frame";
                        break;
                    }
                } else if (f.opcode() == WsWire.PONG) {
                    if (!pong(f.payload())) {
                        how = "bad pong";
                        break;
                    }
                } else if (f.opcode() == WsWire.CLOSE) {
                    byte[] p = f.payload();
                    closeCode = p.length < 2 ? 1005 : (p[0] & 0xFF) << 8 | p[1] & 0xFF;
                    how = "close frame " + closeCode;
                    break;
                } else if (f.opcode() != WsWire.PING) {
                    fail("server frame with an unknown opcode", "opcode " + f.opcode());
                    how = "bad opcode";
                    break;
                }
            }
        } catch (SocketException e) {
            how = closingLocally ? "closed locally" : "reset (" + e.getMessage() + ")";
        } catch (IOException | RuntimeException e) {
            how = closingLocally ? "closed locally" : e.toString();
        }
        end = how;
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    private boolean data(WsWire.Frame f) {
        byte[] p = f.payload();
        if (p.length > 0 && p[0] == 'B') {
            String wrong = broadcasts.accept(p);
            if (wrong != null) {
                fail(wrong.startsWith("corrupt") ? "broadcast corrupted" : "broadcast lost, repeated or reordered",
                        wrong);
                return false;
            }
            return true;
        }
        Echo e = echoes.poll();
        if (e == null) {
            fail("WebSocket message nobody sent", p.length + " bytes after " + echoed + " echoes");
            return false;
        }
        boolean text = f.opcode() == WsWire.TEXT;
        if (text != e.text() || !Arrays.equals(p, e.payload())) {
            fail("WebSocket echo differs from the message sent (order, type or bytes)", "echo #" + echoed + " of "
                    + e.label() + ": want " + (e.text() ? "text" : "binary") + "/" + e.payload().length + ", got "
                    + (text ? "text" : "binary") + "/" + p.length);
            return false;
        }
        echoed++;
        synchronized (progress) {
            progress.notifyAll();
        }
        return true;
    }

    private boolean pong(byte[] payload) {
        for (byte[] ping; (ping = pings.poll()) != null; ) {
            if (Arrays.equals(ping, payload)) {
                return true;
            }
        }
        fail("pong that answers no ping sent (or out of order)", payload.length + " bytes");
        return false;
    }

    private void fail(String kind, String detail) {
        broken = true;
        violations.add(kind, tag + ": " + detail);
    }

    /** Waits until {@code n} echoes arrived or reading ended; false on timeout. */
    boolean await(int n, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (progress) {
            while (echoed < n && end == null) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                progress.wait(left);
            }
        }
        return true;
    }

    int echoed() {
        return echoed;
    }

    int closeCode() {
        return closeCode;
    }

    String end() {
        return end;
    }

    boolean broken() {
        return broken;
    }

    void closingLocally() {
        closingLocally = true;
    }

    void join(long millis) throws InterruptedException {
        if (thread != null) {
            thread.join(millis);
        }
    }

    static InputStream buffered(Socket s) throws IOException {
        return new BufferedInputStream(s.getInputStream(), 16 * 1024);
    }
}
