package dev.pagewire.spring;

import dev.pagewire.CallFilter;
import dev.pagewire.Pages;
import dev.pagewire.Pagewire;
import dev.pagewire.PagewireServlet;
import dev.pagewire.TopicRule;
import dev.pagewire.spi.BackendProvider;
import dev.pagewire.spi.PushBackend;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.target.AbstractLazyCreationTargetSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Serves Pagewire in a Spring Boot servlet application: a {@link Pagewire} bean built from the
 * {@code pagewire.*} properties ({@link PagewireProperties}) and the application's beans, a
 * {@link Pages} bean to push with, and {@link PagewireServlet} at {@code pagewire.path} with async
 * support.
 *
 * <p>From the beans: every bean annotated {@code @RemoteProxy} is exposed with its instances from
 * Spring (see {@link RemoteProxyBeans} for the scopes); {@link CallFilter} beans are the call
 * filters, in their {@code @Order}, inside {@link SocketCallContext}; {@link TopicRule} beans are the topic rules, in their
 * {@code @Order}; a {@link PushBackend} bean is the backend (else the one
 * {@code pagewire.backend} names); {@link
 * PagewireCustomizer} beans run last. An application's own {@code Pagewire} bean replaces the
 * built one.
 *
 * <p>The {@code Pages} bean reaches the {@code Pagewire} bean only when first used, so a
 * {@code @RemoteProxy} singleton may take {@code Pages} in its constructor although the
 * {@code Pagewire} bean needs that singleton first.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(PagewireServlet.class)
@EnableConfigurationProperties(PagewireProperties.class)
public class PagewireAutoConfiguration {

    /** For Spring. */
    public PagewireAutoConfiguration() {
    }

    /** The configuration served; closed with the application context (and by the servlet's end). */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Pagewire pagewire(PagewireProperties properties, ConfigurableListableBeanFactory beans,
                             ObjectProvider<CallFilter> filters, ObjectProvider<TopicRule> topicRules,
                             ObjectProvider<PushBackend> backend, ObjectProvider<PagewireCustomizer> customizers) {
        Pagewire.Builder builder = Pagewire.builder();
        properties.applyTo(builder);
        new RemoteProxyBeans(beans).exposeAll(builder);
        builder.filter(new SocketCallContext()); // outermost: the beans the calls reach may be scoped
        filters.orderedStream().forEach(builder::filter);
        topicRules.orderedStream().forEach(builder::topic);
        PushBackend bean = backend.getIfAvailable();
        if (bean != null) {
            builder.backend(bean);
        } else if (properties.getBackend() != null && !properties.getBackend().isBlank()) {
            builder.backend(BackendProvider.forUri(properties.getBackend().trim(), "pagewire.backend"));
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    /** Every loaded page, and pushing to them: {@code pagewire.pages()}, reached when first used. */
    @Bean
    @ConditionalOnMissingBean
    public Pages pagewirePages(ObjectProvider<Pagewire> pagewire) {
        ProxyFactory proxy = new ProxyFactory();
        proxy.addInterface(Pages.class);
        proxy.setTargetSource(new AbstractLazyCreationTargetSource() {
            @Override
            public Class<?> getTargetClass() {
                return Pages.class;
            }

            @Override
            protected Object createObject() {
                return pagewire.getObject().pages();
            }
        });
        return (Pages) proxy.getProxy(PagewireAutoConfiguration.class.getClassLoader());
    }

    /** {@link PagewireServlet} at {@code pagewire.path/*}, async-supported, started with the application. */
    @Bean
    @ConditionalOnMissingBean(name = "pagewireServlet")
    public ServletRegistrationBean<PagewireServlet> pagewireServlet(Pagewire pagewire, PagewireProperties properties) {
        String path = properties.getPath();
        if (path == null || !path.matches("(/[^/*]+)+")) {
            throw new IllegalStateException("pagewire.path must start with / and end without one, such as"
                    + " /pagewire or /app/rpc; was " + path);
        }
        ServletRegistrationBean<PagewireServlet> registration =
                new ServletRegistrationBean<>(new PagewireServlet(pagewire), path + "/*");
        registration.setName("pagewire");
        registration.setAsyncSupported(true);
        registration.setLoadOnStartup(1);
        return registration;
    }
}
