package dev.pagewire;

import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import dev.pagewire.push.PageSession;
import dev.pagewire.remoting.CallBatch;
import dev.pagewire.remoting.Incidents;
import dev.pagewire.remoting.Reply;
import dev.pagewire.script.DebugPage;
import dev.pagewire.script.Script;
import dev.pagewire.web.Bodies;
import dev.pagewire.web.JsonReplies;
import dev.pagewire.web.Refusal;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.util.List;

/**
 * Serves a {@link Pagewire} under one mapping, such as {@code /pagewire/*}: the engine and proxy
 * scripts, the handshake and calls (see {@code docs/PROTOCOL.md}).
 *
 * <p>Register it in code with {@code new PagewireServlet(pagewire)}, or in {@code web.xml} with
 * init-params: {@code classes} (comma-separated class names to {@linkplain
 * Pagewire.Builder#expose(Class) expose}), {@code debug}, {@code maxBodyBytes},
 * {@code maxJsonDepth}, {@code maxCallsPerBatch}, {@code allowOrigins} (comma-separated).
 *
 * <p>Requests run on the container's threads; the servlet keeps no per-request state.
 */
public class PagewireServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private transient Pagewire pagewire;

    /** For {@code web.xml}: the configuration comes from init-params. */
    public PagewireServlet() {
    }

    /** Serves {@code pagewire}. */
    public PagewireServlet(Pagewire pagewire) {
        this.pagewire = pagewire;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        if (pagewire == null) {
            try {
                pagewire = InitParameters.configure(config).build();
            } catch (RuntimeException e) {
                throw new ServletException("Pagewire configuration failed: " + e.getMessage(), e);
            }
        }
    }

    /** The configuration this servlet serves. */
    public Pagewire pagewire() {
        return pagewire;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        try {
            route(path, request, response);
        } catch (Refusal refusal) {
            JsonReplies.refuse(response, refusal);
        } catch (RuntimeException e) {
            String incident = Incidents.log(request.getMethod() + " " + path, e);
            JsonReplies.refuse(response, new Refusal(500, "INTERNAL", "Server error (incident " + incident + ")"));
        }
    }

    private void route(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (path) {
            case "/call" -> {
                requireMethod(request, response, "POST");
                call(request, response);
            }
            case "/session" -> {
                requireMethod(request, response, "POST");
                handshake(request, response);
            }
            case "/engine.js", "/engine.mjs" -> {
                requireMethod(request, response, "GET");
                sendScript(pagewire.scripts.engine(mount(request), path.endsWith(".mjs")), request, response);
            }
            case "/" -> {
                requireMethod(request, response, "GET");
                debugPage(request, response);
            }
            default -> {
                if (!path.startsWith("/interface/")) {
                    throw Refusal.notFound("no such resource");
                }
                requireMethod(request, response, "GET");
                Script script = pagewire.scripts.proxyScript(path.substring("/interface/".length()));
                if (script == null) {
                    throw Refusal.notFound("no such proxy script");
                }
                sendScript(script, request, response);
            }
        }
    }

    private void handshake(HttpServletRequest request, HttpServletResponse response) throws IOException {
        pagewire.origins.check(request);
        String page = readHandshake(Bodies.openJson(request, pagewire.maxBodyBytes));
        PageSession session = pagewire.sessions.create(request, page);
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.beginObject()
                    .name("session").value(session.id())
                    .name("token").value(session.token())
                    .name("limits").beginObject().name("maxCallsPerBatch").value(pagewire.maxCallsPerBatch).endObject()
                    .endObject();
        }
        JsonReplies.send(response, out.toString());
    }

    private String readHandshake(Reader body) throws IOException {
        JsonReader in = new JsonReader(body);
        in.setStrictness(Strictness.STRICT);
        in.setNestingLimit(pagewire.maxJsonDepth);
        String page = null;
        try {
            in.beginObject();
            while (in.hasNext()) {
                if (in.nextName().equals("page")) {
                    page = in.nextString();
                } else {
                    in.skipValue();
                }
            }
            in.endObject();
        } catch (IOException | IllegalStateException | JsonParseException e) {
            throw Refusal.malformed("malformed handshake: expected {\"page\": \"/path/\"}");
        }
        if (page == null) {
            throw Refusal.malformed("the handshake needs a \"page\"");
        }
        return page;
    }

    private void call(HttpServletRequest request, HttpServletResponse response) throws IOException {
        pagewire.origins.check(request);
        Bodies.requireJson(request);
        PageSession session = pagewire.sessions.authenticate(request);
        CallBatch batch = pagewire.batchReader.read(Bodies.openJson(request, pagewire.maxBodyBytes));
        List<Reply> replies = pagewire.dispatcher.dispatch(batch, request, session);
        StringWriter out = new StringWriter(64 + 32 * replies.size());
        out.write('{');
        pagewire.replyWriter.write(replies, out);
        out.write('}');
        JsonReplies.send(response, out.toString());
    }

    private void debugPage(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!pagewire.debug) {
            throw Refusal.notFound("no such resource (the debug page is off)");
        }
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(DebugPage.html(pagewire.registry, mount(request)));
    }

    private static void sendScript(Script script, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.setHeader("ETag", script.etag());
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String match = request.getHeader("If-None-Match");
        if (match != null && (match.equals(script.etag()) || match.contains(script.etag()))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType(script.contentType());
        response.setContentLength(script.body().length);
        response.getOutputStream().write(script.body());
    }

    private static void requireMethod(HttpServletRequest request, HttpServletResponse response, String method) {
        if (!request.getMethod().equals(method)) {
            response.setHeader("Allow", method);
            throw new Refusal(405, "METHOD_NOT_ALLOWED", request.getMethod() + " is not allowed here; use " + method);
        }
    }

    private static String mount(HttpServletRequest request) {
        return request.getContextPath() + request.getServletPath();
    }
}
