package dev.ringhttp.core;

/**
 * A configuration value outside its accepted range. Carries the parameter's
 * name, the value and what is accepted, so that a layer with other names for
 * the same settings (Spring properties) can report them in its own terms.
 */
public final class InvalidConfigurationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String parameter;
    private final transient Object value;
    private final String accepted;

    public InvalidConfigurationException(String parameter, Object value, String accepted) {
        super(parameter + " is " + value + "; " + accepted);
        this.parameter = parameter;
        this.value = value;
        this.accepted = accepted;
    }

    /** The builder parameter, e.g. {@code maxConnections}. */
    public String parameter() {
        return parameter;
    }

    public Object value() {
        return value;
    }

    /** What would be accepted, as a sentence fragment ("it must be between 1 and 1048576"). */
    public String accepted() {
        return accepted;
    }
}
