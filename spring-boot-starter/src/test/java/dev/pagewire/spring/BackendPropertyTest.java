package dev.pagewire.spring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.Pages;
import dev.pagewire.spring.app.BoardApplication;
import dev.pagewire.testing.PageClient;
import dev.pagewire.testing.RedisServer;
import dev.pagewire.testing.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code pagewire.backend} makes the application a node of a cluster: with Debian's
 * {@code redis-server} and {@code pagewire-redis}, a push goes through Redis and reaches the page.
 * It runs with the Lettuce that Spring Boot's BOM picks (6.6 on Boot 3.5.7), not the one
 * {@code pagewire-redis} is built with (7.7), as a Spring Boot application would.
 */
@SpringBootTest(classes = BoardApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BackendPropertyTest {
    private static final RedisServer REDIS = RedisServer.start();

    @DynamicPropertySource
    static void backend(DynamicPropertyRegistry properties) {
        properties.add("pagewire.backend", REDIS::uri);
    }

    @AfterAll
    static void stopRedis() {
        REDIS.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    Pages pages;

    @Test
    void aPushTravelsThroughRedisToThePage() {
        PageClient page = new PageClient(port);
        page.handshake("/board/");
        pages.forPath("/board/").call("board.show", "through redis");
        StringBuilder seen = new StringBuilder();
        Wait.until("the push on a reply", 15, () -> {
            seen.append(page.batch().call("Basket", "add", "x").send().body());
            return seen.toString().contains("through redis");
        });
        assertTrue(Long.parseLong(REDIS.command("DBSIZE").trim()) > 0, "the node keeps its pages in Redis");
    }
}
