package dev.ringhttp.autoconfigure.security;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Says once, at start-up, that Spring Security protects nothing of ringhttp's
 * when the application has Spring Security but no {@link RingHttpFilter}: its
 * servlet filter chain ({@code SecurityFilterChain}) runs inside a servlet
 * container, which ringhttp is not, so routes, WebSocket upgrades and the
 * actuator would all be open while the application looks secured.
 */
public final class UnprotectedServerWarning implements SmartInitializingSingleton {

    static final String MESSAGE = "Spring Security is on the classpath, but no RingHttpFilter bean is defined:"
            + " nothing served by ringhttp (routes, WebSocket upgrades, actuator endpoints) is protected."
            + " Spring Security's servlet filter chain does not apply to ringhttp; define a RingHttpFilter bean"
            + " that authenticates requests (see the README's Security section).";

    private static final Log LOG = LogFactory.getLog(UnprotectedServerWarning.class);

    private final ListableBeanFactory beans;

    public UnprotectedServerWarning(ListableBeanFactory beans) {
        this.beans = beans;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (!hasFilter()) {
            LOG.warn(MESSAGE);
        }
    }

    boolean hasFilter() {
        return beans.getBeanNamesForType(RingHttpFilter.class, true, false).length > 0;
    }
}
