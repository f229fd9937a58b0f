package dev.pagewire.convert;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.reflect.TypeToken;
import dev.pagewire.DataTransferObject;
import dev.pagewire.Pagewire;
import java.io.File;
import java.lang.reflect.Type;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TypeAllowListTest {
    record Node(String name, List<Node> children) {
    }

    record Leaky(String name, Object payload) {
    }

    @DataTransferObject
    static class Registered {
        Map<String, LocalDate> dates;
    }

    @DataTransferObject
    static class NoDefaultConstructor {
        String a;

        NoDefaultConstructor(String a) {
            this.a = a;
        }
    }

    static class Plain {
        String a;
    }

    private final TypeAllowList allow = new TypeAllowList(Set.of(Plain.class));

    private static Type type(TypeToken<?> token) {
        return token.getType();
    }

    @Test
    void allowsScalarsContainersRecordsAndDtos() {
        assertNull(allow.rejection(int.class));
        assertNull(allow.rejection(String[].class));
        assertNull(allow.rejection(type(new TypeToken<List<Node>>() { })));
        assertNull(allow.rejection(type(new TypeToken<Map<String, List<Integer>>>() { })));
        assertNull(allow.rejection(type(new TypeToken<Optional<Registered>>() { })));
        assertNull(allow.rejection(type(new TypeToken<List<? extends Node>>() { })));
        assertNull(allow.rejection(Plain.class), "registered without the annotation");
    }

    @Test
    void refusesWhatCouldLetTheClientChooseAType() {
        assertRejected(Object.class, "java.lang.Object");
        assertRejected(File.class, "java.io.File");
        assertRejected(Leaky.class, "Leaky.payload");
        assertRejected(List.class, "type arguments");
        assertRejected(type(new TypeToken<ArrayList<String>>() { }), "only List, Set");
        assertRejected(type(new TypeToken<HashMap<String, String>>() { }), "type arguments");
        assertRejected(type(new TypeToken<Map<Integer, String>>() { }), "map keys");
        assertRejected(NoDefaultConstructor.class, "no-argument constructor");
        assertRejected(Runnable.class, "not convertible");
    }

    @Test
    void aJdkClassGetsTheAllowedTypeToUseNotAnAnnotationItCannotHave() {
        assertAdvice(java.util.Date.class, "use java.time.Instant instead");
        assertAdvice(java.sql.Date.class, "use java.time.LocalDate instead");
        assertAdvice(java.sql.Timestamp.class, "use java.time.Instant");
        assertAdvice(java.util.Calendar.class, "use java.time.ZonedDateTime");
        assertAdvice(StringBuilder.class, "use String instead");
        assertAdvice(File.class, "a java.time type");
        assertAdvice(type(new TypeToken<List<java.util.Date>>() { }), "use java.time.Instant instead");
        assertRejected(Plain2.class, "mark it @DataTransferObject");
    }

    @Test
    void theStartupErrorForADateParameterAdvisesInstant() {
        String message = assertThrows(IllegalStateException.class,
                () -> Pagewire.builder().expose(Calendar.class).build()).getMessage();
        assertTrue(message.contains("Calendar.at(Date)") && message.contains("use java.time.Instant instead")
                && !message.contains("mark it @DataTransferObject"), message);
    }

    static class Plain2 {
        String a;
    }

    public static class Calendar {
        public void at(java.util.Date when) {
        }
    }

    private void assertAdvice(Type type, String expected) {
        assertRejected(type, "a JDK class cannot be marked @DataTransferObject");
        assertRejected(type, expected);
    }

    private void assertRejected(Type type, String expected) {
        String why = allow.rejection(type);
        assertNotNull(why, type.getTypeName() + " should be refused");
        assertTrue(why.contains(expected), why);
    }
}
