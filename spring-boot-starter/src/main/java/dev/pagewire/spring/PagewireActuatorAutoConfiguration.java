package dev.pagewire.spring;

import dev.pagewire.Pagewire;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * With Micrometer on the class path (as Actuator brings it): the gauges {@code pagewire.pages.live}
 * and {@code pagewire.requests.held}, read from {@link Pagewire#livePages()} and {@link
 * Pagewire#heldRequests()}, counters that are cheap to read from any thread. The health indicator
 * is {@link PagewireHealthAutoConfiguration}.
 */
@AutoConfiguration(after = PagewireAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(Pagewire.class)
public class PagewireActuatorAutoConfiguration {

    /** For Spring. */
    public PagewireActuatorAutoConfiguration() {
    }

    /** Binds the gauges to the application's meter registry. */
    @Bean
    public MeterBinder pagewireMetrics(Pagewire pagewire) {
        return registry -> {
            Gauge.builder("pagewire.pages.live", pagewire, Pagewire::livePages)
                    .description("Pages live now").baseUnit("pages").register(registry);
            Gauge.builder("pagewire.requests.held", pagewire, Pagewire::heldRequests)
                    .description("Comet polls and SSE streams open now").baseUnit("requests").register(registry);
        };
    }
}
