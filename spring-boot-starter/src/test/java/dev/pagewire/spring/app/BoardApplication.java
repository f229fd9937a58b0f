package dev.pagewire.spring.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The application the starter's tests run: two exposed beans ({@link Board}, a singleton, and
 * {@link Basket}, session-scoped), a page at {@code /board/}, and Spring Security with two users:
 * ann (roles USER and ADMIN) and bob (USER), by form login or HTTP Basic. Every URL is open to
 * anonymous users; {@code @Roles} guards the remote methods. CSRF tokens are off for Pagewire's
 * path, whose POSTs Pagewire checks by their {@code Origin} itself.
 */
@SpringBootApplication
public class BoardApplication {

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http
                .csrf(csrf -> csrf.ignoringRequestMatchers("/pagewire/**", "/rpc/**"))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .formLogin(Customizer.withDefaults())
                .httpBasic(Customizer.withDefaults())
                .build();
    }

    @Bean
    InMemoryUserDetailsManager users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("ann").password("{noop}ann-secret").roles("USER", "ADMIN").build(),
                User.withUsername("bob").password("{noop}bob-secret").roles("USER").build());
    }
}
