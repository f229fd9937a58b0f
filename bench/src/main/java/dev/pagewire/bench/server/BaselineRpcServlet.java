package dev.pagewire.bench.server;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The hand-written RPC baseline: what any JSON RPC servlet must do at least, with no toolkit.
 * It reads the same body as Pagewire's {@code POST call}
 * ({@code {"ack":0,"calls":[{"id":1,"proxy":"Echo","method":"echo","args":["hello"]}]}}) with
 * gson, finds each method in a map built once, converts each argument with gson to the declared
 * parameter type, invokes the method by reflection, and writes Pagewire's reply shape
 * {@code {"replies":[{"id":1,"result":"hello"}]}} with gson's {@code JsonWriter} into a buffer, sent
 * in one write. A failing call
 * gets {@code {"id":..,"error":{"code":..,"message":..}}}. No sessions, no origin or token check,
 * no limits: that is what the toolkit adds, and what the comparison prices.
 */
public final class BaselineRpcServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private record Target(Object instance, Method method, Type[] parameters, Type result) {
    }

    private final transient Gson gson = new Gson();
    private final transient Map<String, Target> targets = new HashMap<>();

    public BaselineRpcServlet(Map<String, Object> services) {
        services.forEach((name, instance) -> {
            for (Method m : instance.getClass().getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())) {
                    targets.put(name + "." + m.getName(), new Target(instance, m, m.getGenericParameterTypes(),
                            m.getGenericReturnType()));
                }
            }
        });
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        // The reply is built in memory and handed to the container in one write: gson's JsonWriter
        // straight onto the servlet Writer makes a dozen small writes per call, each through
        // Tomcat's character conversion, and measured slower than Pagewire end to end.
        StringWriter reply = new StringWriter(256);
        try (Reader in = new InputStreamReader(request.getInputStream(), StandardCharsets.UTF_8)) {
            handle(in, reply);
        } catch (RuntimeException e) {
            response.sendError(400);
            return;
        }
        response.getWriter().write(reply.toString());
    }

    /** Reads a batch from {@code in} and writes the replies to {@code out} (also used by the JMH benchmarks). */
    public void handle(Reader in, Writer writer) throws IOException {
        JsonArray calls = JsonParser.parseReader(in).getAsJsonObject().getAsJsonArray("calls");
        JsonWriter out = new JsonWriter(writer);
        out.beginObject().name("replies").beginArray();
        for (JsonElement element : calls) {
            JsonObject call = element.getAsJsonObject();
            long id = call.get("id").getAsLong();
            out.beginObject().name("id").value(id);
            Target target = targets.get(call.get("proxy").getAsString() + "." + call.get("method").getAsString());
            JsonArray args = call.getAsJsonArray("args");
            if (target == null || args.size() != target.parameters.length) {
                error(out, "NOT_FOUND", "no such method");
                continue;
            }
            try {
                Object[] values = new Object[args.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = gson.fromJson(args.get(i), target.parameters[i]);
                }
                Object result = target.method.invoke(target.instance, values);
                out.name("result");
                gson.toJson(result, target.result, out);
                out.endObject();
            } catch (InvocationTargetException e) {
                error(out, "EXCEPTION", String.valueOf(e.getCause()));
            } catch (ReflectiveOperationException | RuntimeException e) {
                error(out, "BAD_ARGUMENTS", String.valueOf(e));
            }
        }
        out.endArray().endObject().flush();
    }

    private static void error(JsonWriter out, String code, String message) throws IOException {
        out.name("error").beginObject().name("code").value(code).name("message").value(message).endObject();
        out.endObject();
    }
}
