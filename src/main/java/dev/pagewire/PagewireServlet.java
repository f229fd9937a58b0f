package dev.pagewire;

import dev.pagewire.remoting.Incidents;
import dev.pagewire.script.DebugPage;
import dev.pagewire.script.Script;
import dev.pagewire.web.CrossOrigin;
import dev.pagewire.web.JsonReplies;
import dev.pagewire.web.Refusal;
import dev.pagewire.web.RequestLog;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Serves a {@link Pagewire} under one mapping, such as {@code /pagewire/*}: the engine and proxy
 * scripts, the handshake, calls, and the delivery of updates (see {@code docs/PROTOCOL.md}).
 * The mapping must support async requests ({@code <async-supported>true</async-supported>}), which
 * Comet polls and SSE streams need.
 *
 * <p>Register it in code with {@code new PagewireServlet(pagewire)}, or in {@code web.xml} with
 * init-params: {@code classes} (comma-separated class names to {@linkplain
 * Pagewire.Builder#expose(Class) expose}), {@code debug}, {@code maxBodyBytes},
 * {@code maxJsonDepth}, {@code maxCallsPerBatch}, {@code batchTimeBudget} (ISO-8601),
 * {@code allowOrigins}, {@code allowHosts}, {@code trustedProxies} (each comma-separated),
 * {@code rateLimitLoopback}, {@code deliveryMode}, {@code name}, {@code jmx}. When the container destroys the servlet it {@linkplain Pagewire#close()
 * closes} the configuration it serves.
 *
 * <p>Requests run on the container's threads; the servlet keeps no per-request state.
 */
public class PagewireServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private transient Pagewire pagewire;
    private transient Endpoints endpoints;

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
        endpoints = new Endpoints(pagewire);
    }

    @Override
    public void destroy() {
        if (pagewire != null) {
            pagewire.close();
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
            pagewire.hosts.check(request);
            if (CrossOrigin.apply(request, response, pagewire.origins::listed)) {
                return; // a preflight, answered
            }
            route(path, request, response);
        } catch (Refusal refusal) {
            pagewire.meters.refused(refusal.code());
            RequestLog.refused(request, refusal);
            JsonReplies.refuse(response, refusal);
        } catch (RuntimeException e) {
            pagewire.meters.refused("INTERNAL");
            String incident = Incidents.log(request.getMethod() + " " + path, e);
            JsonReplies.refuse(response, new Refusal(500, "INTERNAL", "Server error (incident " + incident + ")"));
        }
    }

    private void route(String path, HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (path) {
            case "/call" -> post(request, response).call(request, response);
            case "/poll" -> post(request, response).poll(request, response);
            case "/ack" -> post(request, response).ack(request, response);
            // "/session": the handshake's path before the first release, for hand-written clients
            case "/handshake", "/session" -> post(request, response).handshake(request, response);
            case "/unload" -> post(request, response).unload(request, response);
            case "/unexposed" -> post(request, response).unexposed(request, response);
            case "/metrics.json" -> {
                requireMethod(request, response, "GET");
                debugFigures(response);
            }
            case "/stream" -> {
                requireMethod(request, response, "GET");
                endpoints.stream(request, response);
            }
            case "/socket" -> {
                requireMethod(request, response, "GET");
                endpoints.socket(request, response);
            }
            case "/engine.js", "/engine.mjs" -> {
                requireMethod(request, response, "GET");
                sendScript(pagewire.scripts.engine(mount(request), path.endsWith(".mjs")), request, response);
            }
            case "/engine.d.ts", "/engine.d.mts" -> {
                requireMethod(request, response, "GET");
                sendScript(pagewire.scripts.engineDeclarations(path.endsWith(".mts")), request, response);
            }
            case "/" -> {
                requireMethod(request, response, "GET");
                debugPage(request, response);
            }
            default -> {
                if (path.startsWith("/download/")) {
                    requireMethod(request, response, "GET");
                    endpoints.download(request, response, path.substring("/download/".length()));
                    return;
                }
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

    private Endpoints post(HttpServletRequest request, HttpServletResponse response) {
        requireMethod(request, response, "POST");
        return endpoints;
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

    /** The debug page's live figures: only while debug is on, as the page itself. */
    private void debugFigures(HttpServletResponse response) throws IOException {
        if (!pagewire.debug) {
            throw Refusal.notFound("no such resource (the debug page is off)");
        }
        JsonReplies.send(response, MetricsJson.of(pagewire.metrics()));
    }

    private static void sendScript(Script script, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        response.setHeader("ETag", script.etag());
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        String match = request.getHeader("If-None-Match");
        if (match != null && match.contains(script.etag())) {
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

    private String mount(HttpServletRequest request) {
        return pagewire.publicPath.of(request);
    }
}
