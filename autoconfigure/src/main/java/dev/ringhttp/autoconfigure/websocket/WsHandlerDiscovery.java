package dev.ringhttp.autoconfigure.websocket;

import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/** Registers every {@code @WsHandler} bean with the endpoints once all singletons exist. */
public final class WsHandlerDiscovery implements SmartInitializingSingleton {

    private final ApplicationContext context;
    private final WsEndpoints endpoints;

    public WsHandlerDiscovery(ApplicationContext context, WsEndpoints endpoints) {
        this.context = context;
        this.endpoints = endpoints;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Map<String, Object> beans = context.getBeansWithAnnotation(WsHandler.class);
        beans.forEach((name, bean) -> {
            Class<?> type = ClassUtils.getUserClass(bean);
            WsHandler annotation = AnnotatedElementUtils.findMergedAnnotation(type, WsHandler.class);
            if (!(bean instanceof WsListener listener)) {
                throw new IllegalStateException("@WsHandler bean '" + name + "' (" + type.getName()
                        + ") must implement " + WsListener.class.getName());
            }
            if (annotation.path().isEmpty()) {
                throw new IllegalStateException("@WsHandler bean '" + name + "' names no path");
            }
            endpoints.register(annotation.path(), annotation.channel(), listener, type.getSimpleName(),
                    List.of(annotation.keepHeaders()), List.of(annotation.keepCookies()));
        });
    }
}
