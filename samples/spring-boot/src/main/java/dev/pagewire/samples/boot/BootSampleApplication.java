package dev.pagewire.samples.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Pagewire in a Spring Boot application: a wall every page sees ({@link Wall}, a singleton
 * bean), a per-browser counter ({@link Visits}, session-scoped), Spring Security's form login
 * for the administrator's method, and Actuator. Run it (README, "Spring Boot") and open
 * http://localhost:8080/.
 */
@SpringBootApplication
public class BootSampleApplication {

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(BootSampleApplication.class, args);
    }

    /**
     * Every page is open; {@code @Roles} guards the remote methods. Pagewire checks the
     * {@code Origin} of its POSTs itself, so its path needs no CSRF token.
     */
    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http
                .csrf(csrf -> csrf.ignoringRequestMatchers("/pagewire/**"))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .formLogin(login -> login.defaultSuccessUrl("/", true))
                .logout(Customizer.withDefaults())
                .build();
    }

    /** Demo users (the sample only): ann is an administrator, bob is not. */
    @Bean
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("ann").password("{noop}ann").roles("USER", "ADMIN").build(),
                User.withUsername("bob").password("{noop}bob").roles("USER").build());
    }
}
