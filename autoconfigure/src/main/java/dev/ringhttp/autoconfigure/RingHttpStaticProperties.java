package dev.ringhttp.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Static resources, under {@code ringhttp.static}: the files of
 * {@code spring.web.resources.static-locations} ({@code classpath:/static/}
 * and {@code classpath:/public/} by default), loaded once at start-up into
 * direct memory and served from there.
 */
@ConfigurationProperties("ringhttp.static")
public class RingHttpStaticProperties {

    /** Whether to serve the files under the static locations. */
    private boolean enabled = true;

    /** Maximum total size of the static files, all loaded into direct memory at start-up; more fails start-up. */
    private DataSize maxTotalSize = DataSize.ofMegabytes(16);

    /** Cache-Control of static files; the default lets browsers keep them but revalidate each use with their ETag. */
    private String cacheControl = "no-cache";

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public DataSize getMaxTotalSize() {
        return maxTotalSize;
    }

    public void setMaxTotalSize(DataSize maxTotalSize) {
        this.maxTotalSize = maxTotalSize;
    }

    public String getCacheControl() {
        return cacheControl;
    }

    public void setCacheControl(String cacheControl) {
        this.cacheControl = cacheControl;
    }
}
