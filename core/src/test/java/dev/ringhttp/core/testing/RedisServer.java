package dev.ringhttp.core.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's package) for the tests of the cluster broadcast: started on a free
 * loopback port with no persistence, stopped and started again on the same port to test outages, and
 * killed at the end. No Docker. {@link #isInstalled()} tells whether the binary is there; CI installs it
 * ({@code .ci/run}), so the tests that need it fail there rather than skip if it is missing.
 */
public final class RedisServer implements AutoCloseable {

    /** Where Debian's {@code redis-server} package puts the binary. */
    public static final Path BINARY = Path.of("/usr/bin/redis-server");

    private static final long READY_MILLIS = 10_000;

    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(int port, Path dir) {
        this.port = port;
        this.dir = dir;
    }

    /** Whether {@code redis-server} is installed. */
    public static boolean isInstalled() {
        return Files.isExecutable(BINARY);
    }

    /** Whether the tests run under CI ({@code CI=true}), where a missing {@code redis-server} is a failure. */
    public static boolean requiredHere() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Starts a server on a free loopback port and waits until it answers PING. */
    public static RedisServer start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        RedisServer redis = new RedisServer(port, Files.createTempDirectory("ringhttp-redis"));
        redis.restart();
        return redis;
    }

    public int port() {
        return port;
    }

    /** Whether the server process runs. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Starts the server again on its port (after {@link #stop()}) and waits until it answers PING. Redis
     * binds with {@code SO_REUSEADDR}, so the port is free again as soon as the last server ended.
     */
    public synchronized void restart() throws IOException, InterruptedException {
        if (isRunning()) {
            return;
        }
        process = new ProcessBuilder(List.of(BINARY.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
                "--daemonize", "no", "--loglevel", "warning"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_MILLIS);
        while (!answersPing()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("redis.log")));
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("redis-server did not answer PING on port " + port + " within "
                        + READY_MILLIS + " ms");
            }
            Thread.sleep(20);
        }
    }

    /** Stops the server, as an outage would: its clients' connections close. Waits until the process is gone. */
    public synchronized void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy(); // SIGTERM: redis-server closes its sockets and exits; nothing to save
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        process = null;
    }

    /** Sends one command in RESP's inline form and returns the first line of the reply. */
    public String command(String inline) throws IOException {
        return exchange((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends {@code request} on a connection of its own and returns the first line of the reply. */
    private String exchange(byte[] request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) != -1 && b != '\n'; ) {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }
    }

    /**
     * Publishes raw bytes on {@code channel}, as RESP's multi-bulk form (binary-safe); returns the number
     * of subscribers that received it.
     */
    public long publish(String channel, byte[] message) throws IOException {
        byte[] name = channel.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream request = new java.io.ByteArrayOutputStream();
        request.writeBytes(("*3\r\n$7\r\nPUBLISH\r\n$" + name.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(name);
        request.writeBytes(("\r\n$" + message.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(message);
        request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        String line = exchange(request.toByteArray());
        if (!line.startsWith(":")) {
            throw new IOException("PUBLISH answered " + line);
        }
        return Long.parseLong(line.substring(1));
    }

    private boolean answersPing() {
        try {
            return command("PING").equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }
}
