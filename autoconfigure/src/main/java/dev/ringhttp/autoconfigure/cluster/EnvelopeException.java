package dev.ringhttp.autoconfigure.cluster;

/**
 * A received envelope that is dropped: malformed or oversize. Carries no stack trace: it is an expected
 * outcome of decoding what arrives on a shared Redis channel, counted and never thrown past the receiver.
 */
public final class EnvelopeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final DropReason reason;

    EnvelopeException(DropReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** {@link DropReason#MALFORMED} or {@link DropReason#OVERSIZE}. */
    public DropReason reason() {
        return reason;
    }
}
