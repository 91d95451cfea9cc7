package dev.ringhttp.core;

/** The two connection pools; their ids are separate namespaces. */
public enum ConnectionType {
    HTTP, WEBSOCKET
}
