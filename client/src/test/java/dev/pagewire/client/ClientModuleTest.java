package dev.pagewire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The client is a separate program's library: its module exports its API only and never needs the server. */
class ClientModuleTest {
    private static final ModuleDescriptor DESCRIPTOR = ModuleFinder.of(Path.of("client/target/classes"))
            .find("dev.pagewire.client").orElseThrow().descriptor();

    @Test
    void onlyTheApiPackageIsExported() {
        assertEquals(Set.of("dev.pagewire.client"),
                DESCRIPTOR.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
    }

    @Test
    void itNeedsTheJdksHttpClientAndGsonOnlyNotTheServer() {
        assertEquals(Set.of("java.base", "java.net.http", "com.google.gson"),
                DESCRIPTOR.requires().stream().map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
    }
}
