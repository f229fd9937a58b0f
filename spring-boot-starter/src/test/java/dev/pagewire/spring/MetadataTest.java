package dev.pagewire.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The IDE metadata of the {@code pagewire.*} properties (made by Spring Boot's configuration
 * processor) states the defaults the code has, and docs/CONFIGURATION.md lists every property.
 */
class MetadataTest {

    private static List<JsonObject> properties() throws IOException {
        try (Reader in = new InputStreamReader(MetadataTest.class.getResourceAsStream(
                "/META-INF/spring-configuration-metadata.json"), StandardCharsets.UTF_8)) {
            JsonArray all = JsonParser.parseReader(in).getAsJsonObject().getAsJsonArray("properties");
            return StreamSupport.stream(all.spliterator(), false).map(JsonElement::getAsJsonObject)
                    .filter(p -> p.get("name").getAsString().startsWith("pagewire.")).toList();
        }
    }

    private static String camel(String name) {
        StringBuilder s = new StringBuilder();
        String[] words = name.substring("pagewire.".length()).split("-");
        s.append(words[0]);
        for (int i = 1; i < words.length; i++) {
            s.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return s.toString();
    }

    private static String text(JsonElement value) {
        if (value.isJsonArray()) {
            List<String> items = new ArrayList<>();
            value.getAsJsonArray().forEach(e -> items.add(e.getAsString()));
            return String.join(",", items);
        }
        return value.getAsString();
    }

    @Test
    void theStatedDefaultsAreTheDefaults() throws IOException {
        BeanWrapperImpl defaults = new BeanWrapperImpl(new PagewireProperties());
        List<String> checked = new ArrayList<>();
        for (JsonObject property : properties()) {
            String name = property.get("name").getAsString();
            Object actual = defaults.getPropertyValue(camel(name));
            if (!property.has("defaultValue")) {
                assertTrue(actual == null || actual instanceof Collection<?> c && c.isEmpty(),
                        name + " has the default " + actual + " but its metadata states none");
                continue;
            }
            PagewireProperties bound = new Binder(new MapConfigurationPropertySource(
                    Map.of(name, text(property.get("defaultValue")))))
                    .bindOrCreate("pagewire", PagewireProperties.class);
            assertEquals(actual, new BeanWrapperImpl(bound).getPropertyValue(camel(name)), name);
            checked.add(name);
        }
        assertTrue(checked.size() >= 20, "defaults checked: " + checked);
    }

    @Test
    void configurationDocsListEveryProperty() throws IOException {
        String docs = Files.readString(Path.of("docs/CONFIGURATION.md"));
        for (JsonObject property : properties()) {
            String name = property.get("name").getAsString();
            assertTrue(docs.contains("`" + name + "`"), "docs/CONFIGURATION.md does not list " + name);
        }
    }

    /** A new builder setting needs its property: this fails until it has one (or is named here as Java-only). */
    @Test
    void everyBuilderSettingIsAProperty() throws IOException {
        java.util.Set<String> notProperties = java.util.Set.of(
                "expose", "instanceFactory", "filter", "topic", "backend", // beans of the application (and pagewire.backend)
                "deliveryRule", "dataTransferObject", "clientVisible", "pageInterface", // plural properties below
                "sessionIdleTimeout", "maxScriptSessionsPerHttpSession", "maxScriptSessions", "maxQueuedBytes"); // deprecated names
        java.util.Set<String> names = new java.util.HashSet<>();
        for (JsonObject property : properties()) {
            names.add(camel(property.get("name").getAsString()));
        }
        List<String> missing = new ArrayList<>();
        for (java.lang.reflect.Method m : dev.pagewire.Pagewire.Builder.class.getMethods()) {
            if (m.getDeclaringClass() == dev.pagewire.Pagewire.Builder.class && m.getReturnType() == dev.pagewire.Pagewire.Builder.class
                    && !notProperties.contains(m.getName()) && !names.contains(m.getName())) {
                missing.add(m.getName());
            }
        }
        assertEquals(List.of(), missing, "builder settings without a pagewire.* property");
        assertTrue(names.containsAll(List.of("deliveryRules", "dataTransferObjects", "clientVisible", "pageInterfaces")), names.toString());
    }
}
