package dev.pagewire.convert;

import com.google.gson.Gson;
import com.google.gson.JsonSyntaxException;
import com.google.gson.TypeAdapter;
import com.google.gson.TypeAdapterFactory;
import com.google.gson.reflect.TypeToken;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code java.time} values as ISO-8601 strings (their {@code toString()} and {@code parse}).
 * An {@link Instant} is also read from a number of epoch milliseconds. Gson's reflective
 * fallback is never used for these types: their internals are not a wire format.
 */
final class JavaTimeAdapters implements TypeAdapterFactory {
    private static final Map<Class<?>, Function<String, ?>> PARSERS = Map.ofEntries(
            Map.entry(Instant.class, Instant::parse),
            Map.entry(LocalDate.class, LocalDate::parse),
            Map.entry(LocalTime.class, LocalTime::parse),
            Map.entry(LocalDateTime.class, LocalDateTime::parse),
            Map.entry(OffsetDateTime.class, OffsetDateTime::parse),
            Map.entry(OffsetTime.class, OffsetTime::parse),
            Map.entry(ZonedDateTime.class, ZonedDateTime::parse),
            Map.entry(Duration.class, Duration::parse),
            Map.entry(Period.class, Period::parse),
            Map.entry(Year.class, Year::parse),
            Map.entry(YearMonth.class, YearMonth::parse),
            Map.entry(MonthDay.class, MonthDay::parse),
            Map.entry(ZoneId.class, ZoneId::of),
            Map.entry(ZoneOffset.class, ZoneOffset::of));

    static boolean supports(Class<?> type) {
        return PARSERS.containsKey(type) || ZoneId.class.isAssignableFrom(type); // ZoneRegion at run time
    }

    @Override
    public <T> TypeAdapter<T> create(Gson gson, TypeToken<T> type) {
        Class<? super T> raw = type.getRawType();
        Function<String, ?> parser = PARSERS.get(raw);
        if (parser == null) {
            // Runtime subclasses (ZoneRegion) serialize like the declared abstract type.
            if (ZoneId.class.isAssignableFrom(raw)) {
                parser = ZoneId::of;
            } else {
                return null;
            }
        }
        return new TimeAdapter<T>(parser, raw == Instant.class).nullSafe();
    }

    private static final class TimeAdapter<T> extends TypeAdapter<T> {
        private final Function<String, ?> parser;
        private final boolean epochMillis;

        TimeAdapter(Function<String, ?> parser, boolean epochMillis) {
            this.parser = parser;
            this.epochMillis = epochMillis;
        }

        @Override
        public void write(JsonWriter out, T value) throws IOException {
            out.value(value.toString());
        }

        @Override
        @SuppressWarnings("unchecked")
        public T read(JsonReader in) throws IOException {
            if (epochMillis && in.peek() == JsonToken.NUMBER) {
                return (T) Instant.ofEpochMilli(in.nextLong());
            }
            if (in.peek() != JsonToken.STRING) {
                throw new JsonSyntaxException("Expected an ISO-8601 string but was " + in.peek());
            }
            String text = in.nextString();
            try {
                return (T) parser.apply(text);
            } catch (DateTimeException e) {
                throw new JsonSyntaxException("Not an ISO-8601 value: " + Texts.clip(text, 40));
            }
        }
    }
}
