package dev.pagewire.bench.server;

import dev.pagewire.DeliveryMode;
import dev.pagewire.Page;
import dev.pagewire.Pagewire;
import dev.pagewire.PagewireServlet;
import dev.pagewire.Topic;
import dev.pagewire.TopicAccess;
import dev.pagewire.TopicRule;
import dev.pagewire.redis.RedisBackend;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

/**
 * One benchmark target on embedded Tomcat, bound to 127.0.0.1. Both targets run in this same
 * launcher with the same connector settings, so the only difference is the servlet under test.
 *
 * <pre>
 * --target pagewire   PagewireServlet at /pagewire/* (Echo, Calc exposed)
 * --target baseline   BaselineRpcServlet at /base/call, BaselinePush at /base/poll, /base/longpoll and /base/stream
 * --port N            (required)
 * --connector default|lean   default: Tomcat's defaults except maxConnections and acceptCount;
 *                     lean: also 4 KB socket buffers (see docs/BENCHMARKS.md)
 * --comet-window-ms M Pagewire's cometWriteWindow (default: the library's default)
 * --comet-hold-ms M   Pagewire's cometHold (default: the library's default, 25 s)
 * --delivery-mode D   Pagewire's default delivery mode, what the handshake advises (default: the
 *                     library's, passive); every mode stays allowed
 * --poll-ms M         Pagewire's pollInterval, advised in the handshake (default: the library's, 5 s)
 * --redis URI         pagewire-redis: the Redis to use (default: the environment's PAGEWIRE_REDIS)
 * </pre>
 *
 * Control endpoints (not measured): {@code GET /bench/ready}, {@code GET /bench/stats}
 * ({@code parked=N}), {@code POST /bench/broadcast?id=TOKEN}, {@code POST /bench/each?id=TOKEN}
 * (Pagewire: one targeted push to each page), {@code GET /bench/heap} (full GC,
 * then heap used, threads, RSS), {@code GET /bench/alloc} (bytes allocated by all threads so far).
 */
public final class BenchServer {
    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        String target = null;
        int port = -1;
        String connectorKind = "default";
        Long cometWindow = null;
        Long cometHold = null;
        DeliveryMode deliveryMode = null;
        Long pollMillis = null;
        String redis = System.getenv("PAGEWIRE_REDIS");
        int idleTopics = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--target" -> target = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--connector" -> connectorKind = args[++i];
                case "--comet-window-ms" -> cometWindow = Long.parseLong(args[++i]);
                case "--comet-hold-ms" -> cometHold = Long.parseLong(args[++i]);
                case "--delivery-mode" -> deliveryMode = DeliveryMode.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--poll-ms" -> pollMillis = Long.parseLong(args[++i]);
                case "--redis" -> redis = args[++i];
                case "--idle-topics" -> idleTopics = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (target == null || port < 0) {
            throw new IllegalArgumentException("usage: BenchServer --target pagewire|pagewire-redis|pagewire-topic|baseline"
                    + " --port N");
        }
        File base = Files.createTempDirectory("pagewire-bench").toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        tomcat.setConnector(connector(port, connectorKind));
        Context context = tomcat.addContext("", base.getAbsolutePath());
        // Jakarta WebSocket for both targets: Pagewire's websocket mode and the bare baseline sockets
        context.addServletContainerInitializer(new WsSci(), null);

        Map<String, Object> services = new LinkedHashMap<>();
        services.put("Echo", new Echo());
        services.put("Calc", new Calc());
        PushTarget push;
        switch (target) {
            case "pagewire", "pagewire-redis", "pagewire-topic" -> {
                Pagewire.Builder builder = Pagewire.builder()
                        .maxPages(100_000);
                if (target.equals("pagewire-topic")) {
                    builder.topic(TopicRule.on("/bench/**").subscribe(TopicAccess.anyone()));
                }
                if (target.equals("pagewire-redis")) {
                    if (redis == null || redis.isBlank()) {
                        throw new IllegalArgumentException("target pagewire-redis needs --redis redis://host:port"
                                + " (or PAGEWIRE_REDIS)");
                    }
                    builder.backend(RedisBackend.create(redis.trim()));
                }
                services.forEach(builder::expose);
                if (cometHold != null) {
                    builder.cometHold(Duration.ofMillis(cometHold));
                }
                if (cometWindow != null) {
                    builder.cometWriteWindow(Duration.ofMillis(cometWindow));
                }
                if (deliveryMode != null) {
                    builder.deliveryMode(deliveryMode);
                }
                if (pollMillis != null) {
                    builder.pollInterval(Duration.ofMillis(pollMillis));
                }
                Pagewire pagewire = builder.build();
                Wrapper w = Tomcat.addServlet(context, "pagewire", new PagewireServlet(pagewire));
                w.setAsyncSupported(true);
                context.addServletMappingDecoded("/pagewire/*", "pagewire");
                if (target.equals("pagewire-topic")) {
                    // topics that exist, each published once, and that no page subscribes to
                    for (int t = 0; t < idleTopics; t++) {
                        pagewire.topics().topic("/bench/idle/" + t).publish("idle");
                    }
                    push = new TopicPush(pagewire, pagewire.topics().topic(TOPIC));
                } else {
                    push = new PagewirePush(pagewire);
                }
            }
            case "baseline" -> {
                BaselineRpcServlet rpc = new BaselineRpcServlet(services);
                Tomcat.addServlet(context, "call", rpc);
                context.addServletMappingDecoded("/base/call", "call");
                BaselineSocket sockets = new BaselineSocket(rpc);
                context.addServletContainerInitializer((classes, servletContext) -> {
                    try {
                        sockets.register((ServerContainer) servletContext.getAttribute(ServerContainer.class.getName()));
                    } catch (DeploymentException e) {
                        throw new ServletException(e);
                    }
                }, null);
                // Tomcat runs the WebSocket filter only on a mapped path: a servlet for non-upgrades
                Tomcat.addServlet(context, "sockets", new HttpServlet() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                        response.sendError(400, "WebSocket upgrades only");
                    }
                });
                context.addServletMappingDecoded("/base/socket", "sockets");
                context.addServletMappingDecoded("/base/rpcsocket", "sockets");
                BaselinePush hub = new BaselinePush(sockets);
                Tomcat.addServlet(context, "poll", hub.pollServlet).setAsyncSupported(true);
                context.addServletMappingDecoded("/base/poll", "poll");
                Tomcat.addServlet(context, "longpoll", hub.getPollServlet).setAsyncSupported(true);
                context.addServletMappingDecoded("/base/longpoll", "longpoll");
                Tomcat.addServlet(context, "stream", hub.streamServlet).setAsyncSupported(true);
                context.addServletMappingDecoded("/base/stream", "stream");
                push = hub;
            }
            default -> throw new IllegalArgumentException("unknown target " + target);
        }
        Tomcat.addServlet(context, "control", new Control(push));
        context.addServletMappingDecoded("/bench/*", "control");
        tomcat.start();
        System.out.println("bench server: target=" + target + " connector=" + connectorKind + " port=" + port
                + " delivery_mode=" + (deliveryMode == null ? "default" : deliveryMode.wireName())
                + " poll_ms=" + (pollMillis == null ? "default" : pollMillis)
                + " pid=" + ProcessHandle.current().pid() + " tomcat=" + org.apache.catalina.util.ServerInfo.getServerNumber());
        tomcat.getServer().await();
    }

    static Connector connector(int port, String kind) {
        Connector c = new Connector("HTTP/1.1"); // NIO, as PagewireServer uses
        c.setPort(port);
        c.setProperty("address", "127.0.0.1");
        c.setThrowOnFailure(true);
        // Tomcat's default maxConnections (8192) would cap the push runs; acceptCount is the backlog.
        c.setProperty("maxConnections", "30000");
        c.setProperty("acceptCount", "4096");
        // Keep connections open however many requests they carry (Tomcat closes after 100 by
        // default): reconnecting would add the same accept cost to both targets and blur the ratio.
        c.setProperty("maxKeepAliveRequests", "-1");
        switch (kind) {
            case "default" -> { }
            case "lean" -> {
                c.setProperty("socket.appReadBufSize", "4096");
                c.setProperty("socket.appWriteBufSize", "4096");
            }
            default -> throw new IllegalArgumentException("unknown connector " + kind);
        }
        return c;
    }

    /** The topic pages of the {@code pagewire-topic} target subscribe to. */
    public static final String TOPIC = "/bench/news";

    /** Pagewire's topics: a broadcast is a publish on {@link #TOPIC}, which every page subscribed to. */
    static final class TopicPush implements PushTarget {
        private final Pagewire pagewire;
        private final Topic<Object> topic;

        TopicPush(Pagewire pagewire, Topic<Object> topic) {
            this.pagewire = pagewire;
            this.topic = topic;
        }

        @Override
        public int parked() {
            return pagewire.heldRequests();
        }

        @Override
        public int broadcast(String token) {
            topic.publish(token);
            return -1;
        }

        @Override
        public int pushToEach(String token) {
            throw new UnsupportedOperationException("the topic target publishes only");
        }
    }

    /** Pagewire's side of the control endpoints, through its public API. */
    static final class PagewirePush implements PushTarget {
        private final Pagewire pagewire;

        PagewirePush(Pagewire pagewire) {
            this.pagewire = pagewire;
        }

        @Override
        public int parked() {
            return pagewire.heldRequests();
        }

        @Override
        public int broadcast(String token) {
            pagewire.pages().all().call("bench.recv", token);
            return -1; // counting would add a pass over every session to the measured time
        }

        @Override
        public int pushToEach(String token) {
            List<Page> pages = pagewire.pages().all().pages();
            for (Page page : pages) {
                pagewire.pages().byId(page.id()).call("bench.recv", token);
            }
            return pages.size();
        }
    }

    static final class Control extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient PushTarget push;

        Control(PushTarget push) {
            this.push = push;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String path = request.getPathInfo() == null ? "" : request.getPathInfo();
            response.setContentType("text/plain");
            String body = switch (path) {
                case "/ready" -> "ok";
                case "/stats" -> "parked=" + push.parked();
                case "/broadcast" -> {
                    long t0 = System.nanoTime();
                    int n = push.broadcast(request.getParameter("id"));
                    yield "targets=" + n + " micros=" + (System.nanoTime() - t0) / 1000;
                }
                case "/each" -> "targets=" + push.pushToEach(request.getParameter("id"));
                case "/heap" -> heap();
                case "/alloc" -> "allocated=" + allocated();
                default -> null;
            };
            if (body == null) {
                response.sendError(404);
            } else {
                response.getWriter().print(body + "\n");
            }
        }

        private static String heap() {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            return "heap_used=" + used + " threads=" + ManagementFactory.getThreadMXBean().getThreadCount()
                    + " rss_kb=" + rssKb();
        }

        private static long allocated() {
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            return threads.getTotalThreadAllocatedBytes();
        }

        private static long rssKb() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux
            }
            return -1;
        }
    }
}
