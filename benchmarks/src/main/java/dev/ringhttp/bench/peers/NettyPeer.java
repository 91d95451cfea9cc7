package dev.ringhttp.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
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
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Netty 4.2 in its recommended production shape: native epoll transport (NIO if unavailable), the pooled
 * allocator (default), {@code HttpServerCodec} + {@code HttpServerKeepAliveHandler} for HTTP,
 * {@code HttpObjectAggregator} + {@code WebSocketServerProtocolHandler} for {@code /ws}, default event loop
 * threads (2 x available processors) and default write-buffer water marks (32/64 KiB). The hello body is one
 * unreleasable buffer shared by every response; a {@code Date} header, cached per second, matches the other servers.
 *
 * <p>Back-pressure: the broadcaster writes {@code retainedDuplicate()}s of one pooled buffer and flushes per batch;
 * a channel that is not {@code isWritable()} (over the high water mark) or has 256 unwritten messages is full.
 */
public final class NettyPeer {

    private static final AttributeKey<FanOut.Member<Channel>> MEMBER = AttributeKey.valueOf("member");

    private NettyPeer() {
    }

    public static void main(String[] args) throws Exception {
        PeerOptions options = PeerOptions.fromSystemProperties();
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(
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
        fanOut.startIfWanted("netty");
        PeerOptions.ready("netty" + (epoll ? "-epoll" : "-nio"), options.port());
        server.closeFuture().sync();
    }

    static final class Broadcast extends FanOut<Channel> {
        Broadcast(PeerOptions options) {
            super(options);
        }

        @Override
        protected Object prepare(byte[] message) {
            // One pooled direct buffer per message, shared by every channel through retained duplicates.
            return PooledByteBufAllocator.DEFAULT.directBuffer(message.length).writeBytes(message);
        }

        @Override
        protected void send(Member<Channel> m, Object prepared) {
            m.session.write(new TextWebSocketFrame(((ByteBuf) prepared).retainedDuplicate()))
                    .addListener(f -> m.done());
        }

        @Override
        protected void release(Object prepared) {
            ((ByteBuf) prepared).release();
        }

        @Override
        protected boolean unwritable(Member<Channel> m) {
            return !m.session.isWritable();
        }

        @Override
        protected void flush(Member<Channel> m) {
            m.session.flush();
        }

        @Override
        protected void close(Member<Channel> m) {
            m.session.close();
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
                ctx.channel().attr(MEMBER).set(fanOut.join(ctx.channel()));
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            fanOut.leave(ctx.channel().attr(MEMBER).get());
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
