package dev.pagewire.spring;

import dev.pagewire.Pagewire;
import dev.pagewire.micrometer.PagewireMeterBinder;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * With Micrometer on the class path (as Actuator brings it): every figure of {@link
 * Pagewire#metrics()} as meters, through {@link PagewireMeterBinder} (calls per proxy, method and
 * outcome, refusals by code, pages by delivery mode, held requests, queues and ack lag, pushes,
 * resends, resyncs, bytes; names in docs/OBSERVABILITY.md). The health indicator is
 * {@link PagewireHealthAutoConfiguration}.
 */
@AutoConfiguration(after = PagewireAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(Pagewire.class)
public class PagewireActuatorAutoConfiguration {

    /** For Spring. */
    public PagewireActuatorAutoConfiguration() {
    }

    /** Binds Pagewire's figures to the application's meter registry (Spring Boot binds every {@link MeterBinder} bean). */
    @Bean
    public MeterBinder pagewireMetrics(Pagewire pagewire) {
        return new PagewireMeterBinder(pagewire);
    }
}
