package dev.pagewire.spring;

import dev.pagewire.Pagewire;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Actuator on the class path: the health indicator {@code pagewire} (up, with the live pages
 * and held requests as details) and, with Micrometer, the gauges {@code pagewire.pages.live} and
 * {@code pagewire.requests.held}. Both read {@link Pagewire#livePages()} and {@link
 * Pagewire#heldRequests()}, counters that are cheap to read from any thread.
 */
@AutoConfiguration(after = PagewireAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Pagewire.class)
public class PagewireActuatorAutoConfiguration {

    /** For Spring. */
    public PagewireActuatorAutoConfiguration() {
    }

    /** The health indicator {@code pagewire}; {@code management.health.pagewire.enabled=false} turns it off. */
    @Bean
    @ConditionalOnEnabledHealthIndicator("pagewire")
    @ConditionalOnMissingBean(name = "pagewireHealthIndicator")
    public HealthIndicator pagewireHealthIndicator(Pagewire pagewire) {
        return () -> Health.up()
                .withDetail("livePages", pagewire.livePages())
                .withDetail("heldRequests", pagewire.heldRequests())
                .build();
    }

    /** The gauges, where Micrometer is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Metrics {
        @Bean
        MeterBinder pagewireMetrics(Pagewire pagewire) {
            return registry -> {
                Gauge.builder("pagewire.pages.live", pagewire, Pagewire::livePages)
                        .description("Pages live now").baseUnit("pages").register(registry);
                Gauge.builder("pagewire.requests.held", pagewire, Pagewire::heldRequests)
                        .description("Comet polls and SSE streams open now").baseUnit("requests").register(registry);
            };
        }
    }
}
