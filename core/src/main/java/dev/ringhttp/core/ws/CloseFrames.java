package dev.ringhttp.core.ws;

/**
 * Close frame status codes (RFC 6455 §7.4) and which of them a peer may send.
 *
 * <p>Codes a peer may put in a close frame: 1000–1003, 1007–1014 and 3000–4999.
 * 1012 (service restart), 1013 (try again later) and 1014 (bad gateway) are not in
 * RFC 6455 but are registered in the IANA "WebSocket Close Code Number Registry"
 * that §11.7 sets up, and servers send them, so they are accepted.
 */
public final class CloseFrames {
    /** "1000 indicates a normal closure." */
    public static final int NORMAL = 1000;
    /** "1001 indicates that an endpoint is "going away", such as a server going down." */
    public static final int GOING_AWAY = 1001;
    /** "1002 indicates that an endpoint is terminating the connection due to a protocol error." */
    public static final int PROTOCOL_ERROR = 1002;
    /** "1003 ... received a type of data it cannot accept." */
    public static final int UNSUPPORTED_DATA = 1003;
    /**
     * "1005 is a reserved value and MUST NOT be set as a status code in a Close control
     * frame by an endpoint": reported for a close frame without a status code.
     */
    public static final int NO_STATUS_CODE = 1005;
    /** "1007 ... received data within a message that was not consistent with the type of the message." */
    public static final int INVALID_PAYLOAD = 1007;
    /** "1008 ... received a message that violates its policy." */
    public static final int POLICY = 1008;
    /** "1009 ... received a message that is too big for it to process." */
    public static final int TOO_BIG = 1009;
    /** "1011 ... encountered an unexpected condition that prevented it from fulfilling the request." */
    public static final int INTERNAL_ERROR = 1011;

    /** The lowest code of the range the RFC assigns to itself: "0-999 ... are not used." */
    private static final int MIN_PROTOCOL_CODE = 1000;
    private static final int MAX_ASSIGNED_BEFORE_RESERVED = 1003;
    private static final int MIN_ASSIGNED_AFTER_RESERVED = 1007;
    /** The highest code registered with IANA (1014, bad gateway); 1015 must not be sent. */
    private static final int MAX_REGISTERED_CODE = 1014;
    /** "3000-3999: ... used by libraries, frameworks, and applications." */
    private static final int MIN_APPLICATION_CODE = 3000;
    /** "4000-4999: ... reserved for private use". */
    private static final int MAX_PRIVATE_CODE = 4999;

    private CloseFrames() {
    }

    /**
     * Whether a peer may send {@code code} in a close frame. False for 1004 (reserved),
     * 1005, 1006 and 1015 ("MUST NOT be set as a status code in a Close control frame"),
     * codes below 1000 ("not used"), 1016–2999 (reserved for future revisions, none assigned)
     * and 5000 or more (outside the ranges §7.4.2 defines).
     */
    public static boolean isValidCode(int code) {
        return code >= MIN_PROTOCOL_CODE && code <= MAX_ASSIGNED_BEFORE_RESERVED
                || code >= MIN_ASSIGNED_AFTER_RESERVED && code <= MAX_REGISTERED_CODE
                || code >= MIN_APPLICATION_CODE && code <= MAX_PRIVATE_CODE;
    }
}
