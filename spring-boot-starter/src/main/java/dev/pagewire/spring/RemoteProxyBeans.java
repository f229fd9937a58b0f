package dev.pagewire.spring;

import dev.pagewire.Pagewire;
import dev.pagewire.RemoteProxy;
import dev.pagewire.Scope;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.WebApplicationContext;

/**
 * Exposes every bean annotated {@link RemoteProxy}, with its instances from Spring: it is the
 * builder's instance factory. The bean's Spring scope decides the exposed scope, whatever the
 * annotation says: a singleton (or {@code application}) bean is {@link Scope#APPLICATION}, got once
 * at start; a {@code session} bean is {@link Scope#SESSION}, got from Spring on the first call of
 * each HTTP session (through its scoped proxy's target, so Pagewire and the rest of the
 * application share the one instance per session); any other scope ({@code request},
 * {@code prototype}, custom ones) is {@link Scope#REQUEST}: Spring is asked on every call.
 *
 * <p>Session beans resolve on the thread that runs the call, through the request context that
 * Spring MVC's {@code RequestContextFilter} sets for every HTTP request, and that
 * {@link SocketCallContext} sets for a call over a WebSocket.
 */
final class RemoteProxyBeans implements Function<Class<?>, Object> {
    private final ConfigurableListableBeanFactory beans;
    private final Map<Class<?>, String> beanNames = new HashMap<>();

    RemoteProxyBeans(ConfigurableListableBeanFactory beans) {
        this.beans = beans;
    }

    /** Exposes the {@code @RemoteProxy} beans on {@code builder} and makes this its instance factory. */
    void exposeAll(Pagewire.Builder builder) {
        for (String name : beans.getBeanNamesForAnnotation(RemoteProxy.class)) {
            if (ScopedProxyUtils.isScopedTarget(name)) {
                continue; // reached through its scoped proxy's name
            }
            String target = ScopedProxyUtils.getTargetBeanName(name);
            String beanName = beans.containsBeanDefinition(target) ? target : name;
            Class<?> type = ClassUtils.getUserClass(beans.getType(beanName));
            RemoteProxy annotation = type.getAnnotation(RemoteProxy.class);
            String proxyName = annotation == null || annotation.name().isEmpty() ? type.getSimpleName() : annotation.name();
            builder.expose(proxyName, type, scope(beans.getMergedBeanDefinition(beanName).getScope()));
            beanNames.put(type, beanName);
        }
        builder.instanceFactory(this);
    }

    private static Scope scope(String springScope) {
        return switch (springScope) {
            case "", BeanDefinition.SCOPE_SINGLETON, WebApplicationContext.SCOPE_APPLICATION -> Scope.APPLICATION;
            case WebApplicationContext.SCOPE_SESSION -> Scope.SESSION;
            default -> Scope.REQUEST;
        };
    }

    /**
     * The bean behind an exposed class; for a class exposed by a {@link PagewireCustomizer} that is
     * no bean, a new instance with its dependencies injected by Spring.
     */
    @Override
    public Object apply(Class<?> type) {
        String name = beanNames.get(type);
        if (name != null) {
            return beans.getBean(name);
        }
        Object bean = beans.getBeanProvider(type).getIfUnique();
        return bean != null ? bean : beans.createBean(type);
    }
}
