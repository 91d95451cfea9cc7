package dev.ringhttp.bench.jmh;

import dev.ringhttp.core.http.ParsedRequest;
import dev.ringhttp.core.http.RequestParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Parses a typical keep-alive GET (the request wrk sends plus a browser's usual headers), whole in one read. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
public class RequestParseBenchmark {

    private static final byte[] REQUEST = ("GET /hello HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\nAccept: text/plain,*/*;q=0.8\r\n"
            + "Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private ByteBuffer buffer;
    private RequestParser parser;
    private ParsedRequest request;

    @Setup
    public void setUp() {
        buffer = ByteBuffer.allocateDirect(64 * 1024);
        buffer.put(0, REQUEST);
        request = new ParsedRequest(buffer, 64);
        parser = new RequestParser(request, 64 * 1024, 8 * 1024, 64);
    }

    @Benchmark
    public int parseKeepAliveGet() {
        parser.reset();
        if (parser.parse(buffer, REQUEST.length) != RequestParser.Result.COMPLETE) {
            throw new AssertionError("not parsed");
        }
        return request.requestLength() + request.headerCount() + (request.pathEquals("/hello") ? 1 : 0);
    }
}
