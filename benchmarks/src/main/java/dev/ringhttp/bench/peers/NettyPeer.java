package dev.ringhttp.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2 in its recommended production shape: native epoll transport (NIO if unavailable), the pooled
 * allocator (default), {@code HttpServerCodec} + {@code HttpServerKeepAliveHandler} for HTTP,
 * {@code HttpObjectAggregator} + {@code WebSocketServerProtocolHandler} for {@code /ws}, default event loop
 * threads (2 x available processors; under the harness's {@code --loops N}, exactly N, plus the one acceptor
 * thread of the boss group as before) and default write-buffer water marks (32/64 KiB). The hello body is one
 * unreleasable buffer shared by every response; a {@code Date} header, cached per second, matches the other servers.
 *
 * <p>Broadcast runs on the event loops themselves ({@link Broadcast}); a channel that is not {@code isWritable()}
 * (over the high water mark) is full.
 */
public final class NettyPeer {

    private NettyPeer() {
    }

    public static void main(String[] args) throws Exception {
        PeerOptions options = PeerOptions.fromSystemProperties();
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        // 0 is Netty's own default (2 x available processors), what this peer ran before --loops existed.
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(options.loopsOr(0),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Broadcast fanOut = new Broadcast(options);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler("/ws", null, false, 65536),
                                new Hello(fanOut));
                    }
                });
        Channel server = bootstrap.bind(InetAddress.getLoopbackAddress(), options.port()).sync().channel();
        PeerOptions.ready("netty" + (epoll ? "-epoll" : "-nio"), options.port());
        server.closeFuture().sync();
    }

    /**
     * Broadcasting the way Netty is meant to be driven: every event loop writes to the channels it owns, from its
     * own thread, so no write crosses threads (no task, promise or wake-up per message). Each loop runs one task
     * that stamps {@link #BATCH} messages into pooled direct buffers, writes a {@code retainedDuplicate()} of each
     * to every channel with the void promise, flushes every channel once, and re-queues itself, so the loop's
     * socket work runs between batches. Back-pressure is Netty's own: a channel over its high water mark is not
     * {@code isWritable()}; under {@code WAIT} the loop then holds its batch until every channel it owns is
     * writable again, under {@code CLOSE} it closes that channel.
     */
    static final class Broadcast {
        static final int BATCH = 16;
        private static final long WAIT_NANOS = 20_000;

        private final PeerOptions options;
        private final byte[] template;
        private final Map<EventLoop, LoopMembers> loops = new ConcurrentHashMap<>();

        Broadcast(PeerOptions options) {
            this.options = options;
            this.template = options.size() > 0 ? Payload.template(options.size()) : null;
        }

        /** On the channel's event loop. */
        void join(Channel channel) {
            if (template == null) {
                return;
            }
            LoopMembers members = loops.computeIfAbsent(channel.eventLoop(), LoopMembers::new);
            members.channels.add(channel);
            if (!members.running) {
                members.running = true;
                members.loop.execute(members);
            }
        }

        /** On the channel's event loop. */
        void leave(Channel channel) {
            LoopMembers members = loops.get(channel.eventLoop());
            if (members != null) {
                members.channels.remove(channel);
            }
        }

        /** The channels of one event loop, touched only on that loop's thread. */
        final class LoopMembers implements Runnable {
            final EventLoop loop;
            final List<Channel> channels = new ArrayList<>();
            boolean running;

            LoopMembers(EventLoop loop) {
                this.loop = loop;
            }

            @Override
            public void run() {
                if (channels.isEmpty()) {
                    running = false; // the next join starts it again
                    return;
                }
                for (int i = channels.size() - 1; i >= 0; i--) {
                    Channel ch = channels.get(i);
                    if (!ch.isWritable()) {
                        if (options.policy() == PeerOptions.Policy.WAIT) {
                            loop.schedule(this, WAIT_NANOS, TimeUnit.NANOSECONDS);
                            return;
                        }
                        channels.remove(i);
                        ch.close();
                    }
                }
                if (channels.isEmpty()) {
                    running = false;
                    return;
                }
                for (int m = 0; m < BATCH; m++) {
                    ByteBuf message = PooledByteBufAllocator.DEFAULT.directBuffer(template.length)
                            .writeBytes(Payload.stamped(template));
                    for (Channel ch : channels) {
                        ch.write(new TextWebSocketFrame(message.retainedDuplicate()), ch.voidPromise());
                    }
                    message.release();
                }
                for (Channel ch : channels) {
                    ch.flush();
                }
                loop.execute(this);
            }
        }
    }

    private static final class Hello extends SimpleChannelInboundHandler<FullHttpRequest> {
        private static final ByteBuf BODY = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer().writeBytes(Payload.HELLO_BYTES)).asReadOnly();
        private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME;
        private static volatile long dateSecond;
        private static volatile String date;
        private final Broadcast fanOut;

        Hello(Broadcast fanOut) {
            this.fanOut = fanOut;
        }

        private static String date() {
            long second = System.currentTimeMillis() / 1000;
            if (second != dateSecond) {
                date = RFC_1123.format(ZonedDateTime.now(ZoneOffset.UTC));
                dateSecond = second;
            }
            return date;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response;
            if ("/hello".equals(request.uri())) {
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        BODY.duplicate());
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, Payload.HELLO_BYTES.length)
                        .set(HttpHeaderNames.DATE, date());
            } else {
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                        Unpooled.EMPTY_BUFFER);
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            }
            // HttpServerKeepAliveHandler adds Connection: close and closes after it when the request asked for it.
            ctx.writeAndFlush(response);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                fanOut.join(ctx.channel());
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            fanOut.leave(ctx.channel());
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
