package dev.pagewire.spring;

import dev.pagewire.Pagewire;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * With Actuator on the class path: the health indicator {@code pagewire}, up, with the live pages
 * and held requests as details (counters, cheap to read from any thread). Spring Boot 3's health
 * API: Boot 3 has it in {@code org.springframework.boot.actuate.health}, Boot 4 in {@code
 * org.springframework.boot.health.contributor}; the build compiles {@code src/boot3/java} (or, with
 * {@code -Pboot4}, {@code src/boot4/java}).
 */
@AutoConfiguration(after = PagewireAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Pagewire.class)
public class PagewireHealthAutoConfiguration {

    /** For Spring. */
    public PagewireHealthAutoConfiguration() {
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
}
