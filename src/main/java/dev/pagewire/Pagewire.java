package dev.pagewire;

import dev.pagewire.convert.JsonCodec;
import dev.pagewire.convert.TypeAllowList;
import dev.pagewire.push.ScriptSessionRegistry;
import dev.pagewire.remoting.BatchReader;
import dev.pagewire.remoting.CallDispatcher;
import dev.pagewire.remoting.ExposedObject;
import dev.pagewire.remoting.ProxyRegistry;
import dev.pagewire.remoting.ReplyWriter;
import dev.pagewire.script.ScriptLibrary;
import dev.pagewire.security.OriginPolicy;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * A configured Pagewire: the exposed objects, the conversion rules and the limits. Build one with
 * {@link #builder()}, then serve it with {@link PagewireServlet} (any Servlet 6 container) or
 * {@code dev.pagewire.embed.PagewireServer} (embedded Tomcat).
 *
 * <pre>{@code
 * Pagewire pagewire = Pagewire.builder()
 *         .expose(ChatService.class)          // @RemoteProxy / @RemoteMethod
 *         .expose("Calc", new Calc())         // a plain object: its public methods
 *         .build();
 * }</pre>
 *
 * A {@code Pagewire} is immutable and thread-safe; everything is validated by {@link
 * Builder#build()}, which fails naming the class, method and type of the first problem.
 */
public final class Pagewire {
    final long maxBodyBytes;
    final int maxJsonDepth;
    final int maxCallsPerBatch;
    final boolean debug;
    final ProxyRegistry registry;
    final JsonCodec codec;
    final CallDispatcher dispatcher;
    final BatchReader batchReader;
    final ReplyWriter replyWriter;
    final ScriptLibrary scripts;
    final OriginPolicy origins;
    final ScriptSessionRegistry sessions = new ScriptSessionRegistry();

    private Pagewire(Builder b) {
        this.maxBodyBytes = b.maxBodyBytes;
        this.maxJsonDepth = b.maxJsonDepth;
        this.maxCallsPerBatch = b.maxCallsPerBatch;
        this.debug = b.debug;
        TypeAllowList allowList = new TypeAllowList(b.dataTransferObjects);
        this.registry = new ProxyRegistry(b.exposed, allowList, b.instanceFactory);
        this.codec = new JsonCodec(allowList);
        this.dispatcher = new CallDispatcher(registry, codec, b.clientVisible);
        this.batchReader = new BatchReader(maxJsonDepth, maxCallsPerBatch);
        this.replyWriter = new ReplyWriter(codec);
        this.scripts = new ScriptLibrary(registry);
        this.origins = new OriginPolicy(b.allowedOrigins);
    }

    /** Starts a configuration with the documented defaults (see {@code docs/CONFIGURATION.md}). */
    public static Builder builder() {
        return new Builder();
    }

    /** The names of the exposed proxies, sorted. */
    public List<String> proxyNames() {
        return registry.all().stream().map(p -> p.name()).toList();
    }

    /** Collects a configuration; {@link #build()} validates it and returns the immutable result. */
    public static final class Builder {
        /** Default {@link #maxBodyBytes(long)}: 1 MiB. */
        public static final long DEFAULT_MAX_BODY_BYTES = 1 << 20;
        /** Default {@link #maxJsonDepth(int)}. */
        public static final int DEFAULT_MAX_JSON_DEPTH = 64;
        /** Default {@link #maxCallsPerBatch(int)}. */
        public static final int DEFAULT_MAX_CALLS_PER_BATCH = 100;

        private final List<ExposedObject> exposed = new ArrayList<>();
        private final Set<Class<?>> dataTransferObjects = new LinkedHashSet<>();
        private final Set<Class<? extends Throwable>> clientVisible = new LinkedHashSet<>();
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private Function<Class<?>, Object> instanceFactory = Builder::construct;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxJsonDepth = DEFAULT_MAX_JSON_DEPTH;
        private int maxCallsPerBatch = DEFAULT_MAX_CALLS_PER_BATCH;
        private boolean debug;

        private Builder() {
        }

        /**
         * Exposes a class. Its name and scope come from {@link RemoteProxy} (defaults: the simple
         * class name, {@link Scope#APPLICATION}); instances come from the {@link
         * #instanceFactory(Function) instance factory}. Callable methods are those annotated
         * {@link RemoteMethod}; on a class with neither annotation, its declared public methods.
         */
        public Builder expose(Class<?> type) {
            exposed.add(new ExposedObject(null, Objects.requireNonNull(type, "type"), null, null));
            return this;
        }

        /** Exposes a class under {@code name} with {@code scope}, overriding its annotation. */
        public Builder expose(String name, Class<?> type, Scope scope) {
            exposed.add(new ExposedObject(Objects.requireNonNull(name, "name"),
                    Objects.requireNonNull(type, "type"), null, Objects.requireNonNull(scope, "scope")));
            return this;
        }

        /** Exposes one shared instance (application scope), named as {@link #expose(Class)} would. */
        public Builder expose(Object instance) {
            exposed.add(new ExposedObject(null, instance.getClass(), instance, null));
            return this;
        }

        /** Exposes one shared instance (application scope) under {@code name}. */
        public Builder expose(String name, Object instance) {
            exposed.add(new ExposedObject(Objects.requireNonNull(name, "name"), instance.getClass(),
                    instance, null));
            return this;
        }

        /**
         * Supplies instances of exposed classes, for example from Spring or CDI:
         * {@code .instanceFactory(context::getBean)}. The default calls the public no-argument
         * constructor. Application-scoped instances are made once, at {@link #build()}.
         */
        public Builder instanceFactory(Function<Class<?>, Object> factory) {
            this.instanceFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** Allows classes to travel as JSON without the {@link DataTransferObject} annotation. */
        public Builder dataTransferObject(Class<?>... types) {
            dataTransferObjects.addAll(List.of(types));
            return this;
        }

        /** Lets the name and message of these exceptions (and subclasses) reach the page. */
        @SafeVarargs
        public final Builder clientVisible(Class<? extends Throwable>... types) {
            clientVisible.addAll(List.of(types));
            return this;
        }

        /**
         * Origins besides the server's own that may POST, such as {@code https://app.example.com}.
         * Needed behind a proxy that rewrites the {@code Host} header.
         */
        public Builder allowOrigins(String... origins) {
            allowedOrigins.addAll(List.of(origins));
            return this;
        }

        /** Largest request body accepted, in bytes; larger ones are refused with 413. */
        public Builder maxBodyBytes(long bytes) {
            this.maxBodyBytes = positive(bytes, "maxBodyBytes");
            return this;
        }

        /** Deepest JSON nesting accepted (the batch's own structure takes 4 levels); deeper is 400. */
        public Builder maxJsonDepth(int depth) {
            if (depth < 5) {
                throw new IllegalArgumentException("maxJsonDepth must be at least 5, was " + depth);
            }
            this.maxJsonDepth = depth;
            return this;
        }

        /** Most calls in one request; more are refused with 400. The engine splits larger batches. */
        public Builder maxCallsPerBatch(int calls) {
            this.maxCallsPerBatch = (int) positive(calls, "maxCallsPerBatch");
            return this;
        }

        /** Serves the debug page at {@code {mount}/}. Off by default; keep it off in production. */
        public Builder debug(boolean debug) {
            this.debug = debug;
            return this;
        }

        /**
         * Validates the configuration and returns it.
         *
         * @throws IllegalStateException naming the class, method and type of the first problem
         */
        public Pagewire build() {
            return new Pagewire(this);
        }

        private static long positive(long value, String name) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        private static Object construct(Class<?> type) {
            try {
                var constructor = type.getDeclaredConstructor();
                constructor.setAccessible(true);
                return constructor.newInstance();
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("Cannot create " + type.getName()
                        + ": it has no no-argument constructor; expose an instance or set an instanceFactory", e);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException("Cannot create " + type.getName() + ": its constructor threw "
                        + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot create " + type.getName() + ": " + e, e);
            }
        }
    }
}
