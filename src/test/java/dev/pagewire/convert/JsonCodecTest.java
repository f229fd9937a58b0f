package dev.pagewire.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonWriter;
import dev.pagewire.DataTransferObject;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
    enum Colour { RED, GREEN }

    record Item(String name, int quantity, BigDecimal price, Colour colour) {
    }

    @DataTransferObject
    static class Address {
        String street;
        List<String> lines;

        Address() {
        }
    }

    static class NotAllowed {
        String secret;
    }

    private final JsonCodec codec = new JsonCodec(new TypeAllowList(Set.of()));

    private Object read(String json, Type type) {
        return codec.fromJson(JsonParser.parseString(json), type);
    }

    private String write(Object value, Type type) throws IOException {
        StringWriter out = new StringWriter();
        codec.write(new JsonWriter(out), value, type);
        return out.toString();
    }

    private void roundTrip(Object value, Type type, String json) throws IOException {
        assertEquals(json, write(value, type), "encoding " + type.getTypeName());
        assertEquals(value, read(json, type), "decoding " + type.getTypeName());
    }

    @Test
    void scalarsBothWays() throws IOException {
        roundTrip(42, int.class, "42");
        roundTrip(7L, Long.class, "7");
        roundTrip(1.5, double.class, "1.5");
        roundTrip(true, boolean.class, "true");
        roundTrip("hi \"there\"", String.class, "\"hi \\\"there\\\"\"");
        roundTrip(new BigDecimal("12.340"), BigDecimal.class, "\"12.340\"");
        roundTrip(new BigInteger("123456789012345678901234567890"), BigInteger.class, "\"123456789012345678901234567890\"");
        roundTrip(Colour.GREEN, Colour.class, "\"GREEN\"");
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        roundTrip(id, UUID.class, "\"123e4567-e89b-12d3-a456-426614174000\"");
        roundTrip('x', char.class, "\"x\"");
    }

    @Test
    void javaTimeAsIsoStrings() throws IOException {
        roundTrip(Instant.parse("2026-11-22T10:15:30Z"), Instant.class, "\"2026-11-22T10:15:30Z\"");
        roundTrip(LocalDate.of(2026, 11, 22), LocalDate.class, "\"2026-11-22\"");
        roundTrip(LocalDateTime.of(2026, 11, 22, 10, 15), LocalDateTime.class, "\"2026-11-22T10:15\"");
        roundTrip(Duration.ofSeconds(90), Duration.class, "\"PT1M30S\"");
        roundTrip(OffsetDateTime.parse("2026-11-22T10:15:30+01:00"), OffsetDateTime.class, "\"2026-11-22T10:15:30+01:00\"");
        roundTrip(ZonedDateTime.parse("2026-11-22T10:15:30+01:00[Europe/Paris]"), ZonedDateTime.class,
                "\"2026-11-22T10:15:30+01:00[Europe/Paris]\"");
        roundTrip(ZoneId.of("Europe/Paris"), ZoneId.class, "\"Europe/Paris\"");
    }

    @Test
    void instantFromEpochMillisAndFromJsDateString() {
        assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), read("1700000000123", Instant.class));
        // What JSON.stringify(new Date(...)) produces.
        assertEquals(Instant.parse("2026-11-22T10:15:30.123Z"), read("\"2026-11-22T10:15:30.123Z\"", Instant.class));
    }

    @Test
    void genericTypesHonoured() throws IOException {
        Type items = new TypeToken<List<Item>>() { }.getType();
        List<Item> list = List.of(new Item("tea", 2, new BigDecimal("3.50"), Colour.RED));
        roundTrip(list, items, "[{\"name\":\"tea\",\"quantity\":2,\"price\":\"3.50\",\"colour\":\"RED\"}]");

        Type map = new TypeToken<Map<String, List<Integer>>>() { }.getType();
        assertEquals(Map.of("a", List.of(1, 2)), read("{\"a\":[1,2]}", map));

        assertArrayEquals(new int[] {1, 2, 3}, (int[]) read("[1,2,3]", int[].class));
        assertArrayEquals(new String[] {"a"}, (String[]) read("[\"a\"]", String[].class));

        Type optional = new TypeToken<Optional<String>>() { }.getType();
        roundTrip(Optional.of("x"), optional, "\"x\"");
        roundTrip(Optional.empty(), optional, "null");
    }

    @Test
    void dtoFieldsIncludingNulls() throws IOException {
        Address a = (Address) read("{\"street\":\"Main\",\"lines\":[\"1\"]}", Address.class);
        assertEquals("Main", a.street);
        assertEquals(List.of("1"), a.lines);
        Address empty = new Address();
        assertEquals("{\"street\":null,\"lines\":null}", write(empty, Address.class));
    }

    @Test
    void wrongShapeIsAConversionErrorWithoutGsonAdvice() {
        ConversionException e = assertThrows(ConversionException.class, () -> read("{\"a\":1}", String.class));
        assertTrue(e.getMessage().contains("Expected a string but was BEGIN_OBJECT"), e.getMessage());
        assertTrue(!e.getMessage().contains("https://"), e.getMessage());
        assertThrows(ConversionException.class, () -> read("\"abc\"", int.class));
        assertThrows(ConversionException.class, () -> read("1e20", int.class));
        assertThrows(ConversionException.class, () -> read("1.5", int.class));
        assertThrows(ConversionException.class, () -> read("2147483648", int.class));
        assertThrows(ConversionException.class, () -> read("1e400", double.class));
        assertThrows(ConversionException.class, () -> read("\"yes\"", boolean.class));
        assertThrows(ConversionException.class, () -> read("300", byte.class));
        assertEquals(9007199254740993L, read("\"9007199254740993\"", long.class), "longs beyond 2^53 as strings");
        assertEquals(100, read("1e2", int.class), "an exact integer in exponent form");
        assertThrows(ConversionException.class, () -> read("\"yesterday\"", LocalDate.class));
        assertThrows(ConversionException.class, () -> read("[1]", Item.class));
        assertThrows(ConversionException.class, () -> read("true", Instant.class));
    }

    @Test
    void unknownEnumConstantIsRefusedNotNull() {
        ConversionException e = assertThrows(ConversionException.class, () -> read("\"PURPLE\"", Colour.class));
        assertTrue(e.getMessage().contains("RED, GREEN"), e.getMessage());
        assertNull(read("null", Colour.class));
    }

    @Test
    void gsonNeverReflectsOnClassesThatAreNotAllowed() {
        ConversionException e = assertThrows(ConversionException.class,
                () -> read("{\"secret\":\"x\"}", NotAllowed.class));
        assertTrue(e.getMessage().contains("ReflectionAccessFilter") || e.getMessage().contains("not allowed"),
                e.getMessage());
    }

    /** The quick path for common arguments gives what the adapters give, and refuses what they refuse. */
    @Test
    void primitivesReadWithoutATreeReaderMatchTheAdapters() {
        String[] texts = {"\"x\"", "\"\"", "\"42\"", "42", "-0", "0", "7", "-123456789", "123456789", "1234567890",
            "2147483648", "1.5", "-0.0", "1e300", "1e400", "true", "false", "\"true\"", "\" 7 \""};
        Type[] types = {String.class, int.class, Integer.class, boolean.class, Boolean.class, double.class, Double.class};
        for (String text : texts) {
            JsonElement json = JsonParser.parseString(text);
            for (Type type : types) {
                Object expected;
                try {
                    expected = codec.gson().getAdapter(TypeToken.get(type)).fromJsonTree(json);
                } catch (RuntimeException refused) {
                    expected = "refused";
                }
                Object actual;
                try {
                    actual = codec.fromJson(json, type);
                } catch (ConversionException refused) {
                    actual = "refused";
                }
                assertEquals(expected, actual, text + " as " + type.getTypeName());
            }
        }
    }
}
