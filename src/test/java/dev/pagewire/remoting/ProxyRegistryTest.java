package dev.pagewire.remoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pagewire.Pagewire;
import dev.pagewire.RemoteMethod;
import dev.pagewire.RemoteProxy;
import dev.pagewire.Scope;
import dev.pagewire.Page;
import dev.pagewire.convert.TypeAllowList;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ProxyRegistryTest {
    @RemoteProxy(name = "Shop", scope = Scope.SESSION)
    public static class ShopService {
        @RemoteMethod
        public int add(int a, int b) {
            return a + b;
        }

        @RemoteMethod
        public int add(int a, int b, int c) {
            return a + b + c;
        }

        @RemoteMethod
        public String whoAmI(HttpServletRequest request, String greeting, Page page) {
            return greeting;
        }

        public void notExposed() {
        }
    }

    public static class Calc {
        public int twice(int x) {
            return 2 * x;
        }

        public static int helper() {
            return 0;
        }
    }

    @RemoteProxy
    public static class Clash {
        @RemoteMethod
        public void m(int a) {
        }

        @RemoteMethod
        public void m(String a) {
        }
    }

    @RemoteProxy
    public static class TakesObject {
        @RemoteMethod
        public void store(String key, Object value) {
        }
    }

    @RemoteProxy
    public static class ReturnsThread {
        @RemoteMethod
        public Thread current() {
            return Thread.currentThread();
        }
    }

    @RemoteProxy
    public static class Nothing {
        public void notAnnotated() {
        }
    }

    @RemoteProxy
    public static class PrivateMethod {
        @RemoteMethod
        void hidden() {
        }
    }

    private static ProxyRegistry registry(ExposedObject... exposed) {
        Function<Class<?>, Object> factory = type -> {
            try {
                return type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
        return new ProxyRegistry(List.of(exposed), new TypeAllowList(Set.of()), factory);
    }

    private static String failure(Class<?> type) {
        return assertThrows(IllegalStateException.class,
                () -> registry(new ExposedObject(null, type, null, null))).getMessage();
    }

    @Test
    void annotatedClassExposesOnlyRemoteMethodsWithNameScopeAndArities() {
        RemoteProxyInfo shop = registry(new ExposedObject(null, ShopService.class, null, null)).find("Shop");
        assertEquals(Scope.SESSION, shop.scope());
        assertEquals(Set.of("add", "whoAmI"), shop.methods().keySet());
        assertNotNull(shop.find("add", 2));
        assertNotNull(shop.find("add", 3));
        assertNull(shop.find("add", 1));
        assertEquals(1, shop.find("whoAmI", 1).arity(), "injected parameters are not counted");
        assertNull(shop.find("notExposed", 0));
        assertNull(shop.find("hashCode", 0));
    }

    @Test
    void plainObjectExposesItsDeclaredPublicInstanceMethodsOnly() {
        Calc calc = new Calc();
        RemoteProxyInfo info = registry(new ExposedObject("Calculator", Calc.class, calc, null)).find("Calculator");
        assertEquals(Set.of("twice"), info.methods().keySet());
        assertSame(calc, info.instances().get());
        assertEquals(Scope.APPLICATION, info.scope());
    }

    @Test
    void startupFailuresNameTheMethodAndType() {
        String clash = failure(Clash.class);
        assertTrue(clash.contains("m(int)") && clash.contains("m(String)") && clash.contains("argument count"), clash);

        String object = failure(TakesObject.class);
        assertTrue(object.contains("TakesObject.store(String, Object)") && object.contains("java.lang.Object"), object);

        String thread = failure(ReturnsThread.class);
        assertTrue(thread.contains("current()") && thread.contains("return") && thread.contains("java.lang.Thread"), thread);

        assertTrue(failure(Nothing.class).contains("no callable methods"));
        assertTrue(failure(PrivateMethod.class).contains("public instance method"));
    }

    @Test
    void duplicateNamesAndBadNamesAndScopedInstancesFail() {
        String dup = assertThrows(IllegalStateException.class, () -> registry(
                new ExposedObject("X", Calc.class, null, null),
                new ExposedObject("X", ShopService.class, null, null))).getMessage();
        assertTrue(dup.contains("'X'"), dup);
        assertThrows(IllegalStateException.class, () -> registry(new ExposedObject("not-an-id", Calc.class, null, null)));
        assertThrows(IllegalStateException.class, () -> registry(new ExposedObject("pagewire", Calc.class, null, null)));
        assertThrows(IllegalStateException.class,
                () -> registry(new ExposedObject(null, Calc.class, new Calc(), Scope.REQUEST)));
    }

    @Test
    void builderReportsConstructorProblemsAtBuild() {
        class NoDefault {
            NoDefault(String s) {
            }

            public void m() {
            }
        }
        String message = assertThrows(IllegalStateException.class,
                () -> Pagewire.builder().expose(NoDefault.class).build()).getMessage();
        assertTrue(message.contains("no-argument constructor"), message);
        assertThrows(IllegalArgumentException.class, () -> Pagewire.builder().maxBodyBytes(0));
        assertThrows(IllegalArgumentException.class, () -> Pagewire.builder().maxJsonDepth(2));
    }
}
