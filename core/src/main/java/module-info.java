/**
 * The ringhttp server. Only the API package is exported: the request parser ({@code http}),
 * WebSocket framing ({@code ws}) and the outgoing ring ({@code ring}) are internal, as are the
 * loop's parts inside the API package (package-private).
 */
module dev.ringhttp.core {
    requires java.management;
    requires jdk.management;
    requires static com.github.luben.zstd_jni;

    exports dev.ringhttp.core;
}
