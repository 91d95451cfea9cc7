package dev.ringhttp.autoconfigure.server;

import dev.ringhttp.core.RingHttpServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.channels.Selector;

/**
 * Kills a running server's event loop the way a broken selector would:
 * a task on the loop closes the event loop's private selector, so its next
 * select throws. Nothing a client sends can do that, and the server has no
 * API for it, hence the reflection.
 */
public final class LoopKiller {

    private LoopKiller() {
    }

    public static void kill(RingHttpServer server) {
        server.execute(() -> {
            try {
                Field loopsField = RingHttpServer.class.getDeclaredField("loops");
                loopsField.setAccessible(true);
                Object serverLoop = ((Object[]) loopsField.get(server))[0];
                Field loopField = serverLoop.getClass().getDeclaredField("loop");
                loopField.setAccessible(true);
                Object loop = loopField.get(serverLoop);
                Field selector = loop.getClass().getDeclaredField("selector");
                selector.setAccessible(true);
                ((Selector) selector.get(loop)).close();
            } catch (ReflectiveOperationException | IOException e) {
                throw new IllegalStateException("cannot break the loop's selector", e);
            }
        });
    }
}
