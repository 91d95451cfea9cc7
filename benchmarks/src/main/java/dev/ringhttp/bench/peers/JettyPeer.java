package dev.ringhttp.bench.peers;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty 12 on its core API (no Servlet layer), as its documentation recommends for the leanest server: a
 * {@code QueuedThreadPool} with defaults (8–200 threads), one {@code ServerConnector}, the {@code Server} header
 * off (the usual production advice), {@code Date} on (default). The hello handler is non-blocking and writes one
 * shared read-only buffer; {@code WebSocketUpgradeHandler} maps {@code /ws} in front of it.
 *
 * <p>Back-pressure: {@code Session.sendText(String, Callback)} is asynchronous; the callback counts the message
 * done, and a session with 256 unacknowledged sends is full.
 */
public final class JettyPeer {

    private JettyPeer() {
    }

    public static void main(String[] args) throws Exception {
        PeerOptions options = PeerOptions.fromSystemProperties();
        Broadcast fanOut = new Broadcast(options);
        Server server = new Server(new QueuedThreadPool());
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(options.port());
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);

        ByteBuffer hello = ByteBuffer.allocateDirect(Payload.HELLO_BYTES.length).put(Payload.HELLO_BYTES).flip()
                .asReadOnlyBuffer();
        Handler helloHandler = new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (!"/hello".equals(Request.getPathInContext(request))) {
                    return false;
                }
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Payload.HELLO_BYTES.length);
                response.write(true, hello.slice(), callback);
                return true;
            }
        };
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(Duration.ofMinutes(10));
            container.addMapping("/ws", (request, response, callback) -> new Endpoint(fanOut));
        });
        ws.setHandler(helloHandler);
        server.setHandler(ws);
        server.start();
        fanOut.startIfWanted("jetty");
        PeerOptions.ready("jetty", options.port());
        server.join();
    }

    /** Joins the broadcast on open, leaves on close; reads (and drops) what the client sends. */
    public static final class Endpoint implements Session.Listener.AutoDemanding {
        private final Broadcast fanOut;
        private FanOut.Member<Session> member;

        Endpoint(Broadcast fanOut) {
            this.fanOut = fanOut;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            member = fanOut.join(session);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            fanOut.leave(member);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            fanOut.leave(member);
        }
    }

    static final class Broadcast extends FanOut<Session> {
        Broadcast(PeerOptions options) {
            super(options);
        }

        @Override
        protected Object prepare(byte[] message) {
            return new String(message, java.nio.charset.StandardCharsets.US_ASCII);
        }

        @Override
        protected void send(Member<Session> m, Object prepared) {
            m.session.sendText((String) prepared, org.eclipse.jetty.websocket.api.Callback.from(m::done, x -> m.done()));
        }

        @Override
        protected void close(Member<Session> m) {
            m.session.close(1008, "too slow", org.eclipse.jetty.websocket.api.Callback.NOOP);
        }
    }
}
