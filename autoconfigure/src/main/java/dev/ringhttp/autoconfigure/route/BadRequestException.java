package dev.ringhttp.autoconfigure.route;

/** A request a route cannot be called with: missing or unconvertible arguments, unreadable body. Answered with 400. */
final class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BadRequestException(String message) {
        super(message, null, false, false);
    }

    BadRequestException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
