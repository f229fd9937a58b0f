package dev.pagewire.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A round-robin TCP balancer on a free loopback port, in front of backends on loopback ports
 * (Pagewire nodes): each new client connection goes to the next backend in turn and stays with it,
 * so the requests of one keep-alive connection reach one node and those of the next connection the
 * next node. A backend that refuses the connection (a dead node) is skipped for the next one; when
 * every backend refuses, the client's connection is closed.
 *
 * <p>Faults: {@link #cutAll()} and {@link #cut(int)} close open connections at once, with a reset
 * on both sides, as a network cut; {@link #remove(int)} and {@link #add(int)} change the backends
 * while it runs.
 *
 * <pre>{@code
 * try (Balancer balancer = Balancer.start(nodeA.port(), nodeB.port())) {
 *     PageClient page = new PageClient(balancer.port());
 * }
 * }</pre>
 *
 * <p>Threading: one daemon thread {@code balancer-PORT-accept} accepts clients and connects each to
 * its backend, one at a time, so the round-robin order is the order of arrival. Each connection
 * then has two daemon threads that copy bytes, {@code balancer-PORT-N-up} (client to backend) and
 * {@code balancer-PORT-N-down}; an end of stream is passed on as a half close, an error cuts the
 * connection. The public methods are safe from any thread.
 */
public final class Balancer implements AutoCloseable {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int CONNECT_MILLIS = 2000;

    private final ServerSocket server;
    private final List<Integer> backends = new ArrayList<>(); // guarded by this
    private int next; // guarded by this: the index in backends of the next backend to try
    private final Map<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Set<Link> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger linkNumbers = new AtomicInteger();

    private Balancer(ServerSocket server) {
        this.server = server;
    }

    /** Starts a balancer in front of the backends on {@code ports}, in that order. */
    public static Balancer start(int... ports) {
        Balancer balancer;
        try {
            balancer = new Balancer(new ServerSocket(0, 50, LOOPBACK));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int port : ports) {
            balancer.add(port);
        }
        daemon("balancer-" + balancer.port() + "-accept", balancer::acceptClients).start();
        return balancer;
    }

    /** The port clients connect to, on the loopback address. */
    public int port() {
        return server.getLocalPort();
    }

    /** Adds the backend on {@code port} at the end of the round. */
    public synchronized void add(int port) {
        backends.add(port);
    }

    /** Removes the backend on {@code port} from the round; its open connections stay open. */
    public synchronized void remove(int port) {
        backends.remove(Integer.valueOf(port));
    }

    /** The ports of the backends, in round-robin order. */
    public synchronized List<Integer> backends() {
        return List.copyOf(backends);
    }

    /** How many client connections were handed to the backend on {@code port} so far. */
    public int connections(int port) {
        AtomicInteger count = counts.get(port);
        return count == null ? 0 : count.get();
    }

    /** How many connections are open through the balancer now. */
    public int openConnections() {
        return open.size();
    }

    /** Cuts every open connection: client and backend sockets are closed with a reset. */
    public void cutAll() {
        open.forEach(Link::cut);
    }

    /** Cuts the open connections to the backend on {@code port}. */
    public void cut(int port) {
        open.stream().filter(link -> link.backendPort == port).forEach(Link::cut);
    }

    /** Stops accepting and cuts every open connection. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing a listening socket that is closed already: nothing to do
        }
        cutAll();
    }

    private void acceptClients() {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Link link = connect(client);
            if (link == null) {
                reset(client);
            } else {
                open.add(link);
                link.startPumps();
            }
        }
    }

    /** Connects {@code client} to the next backend that accepts, or returns null when none does. */
    private Link connect(Socket client) {
        for (int port : round()) {
            Socket backend = new Socket();
            try {
                backend.connect(new InetSocketAddress(LOOPBACK, port), CONNECT_MILLIS);
            } catch (IOException refused) {
                reset(backend);
                continue;
            }
            counts.computeIfAbsent(port, p -> new AtomicInteger()).incrementAndGet();
            return new Link(client, backend, port, linkNumbers.incrementAndGet());
        }
        return null;
    }

    /** The backends in the order to try for the next connection; moves the round on by one. */
    private synchronized List<Integer> round() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < backends.size(); i++) {
            order.add(backends.get((next + i) % backends.size()));
        }
        next = backends.isEmpty() ? 0 : (next + 1) % backends.size();
        return order;
    }

    /** Closes {@code socket} with a reset rather than the usual end of stream. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // closed already, or never connected: closing is all that is left
        }
        close(socket);
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to do with a socket that fails to close
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** One client connection and its backend connection, with the two threads that copy between them. */
    private final class Link {
        private final Socket client;
        private final Socket backend;
        private final int backendPort;
        private final int number;
        private final AtomicInteger runningPumps = new AtomicInteger(2);

        Link(Socket client, Socket backend, int backendPort, int number) {
            this.client = client;
            this.backend = backend;
            this.backendPort = backendPort;
            this.number = number;
        }

        void startPumps() {
            String name = "balancer-" + port() + "-" + number;
            daemon(name + "-up", () -> pump(client, backend)).start();
            daemon(name + "-down", () -> pump(backend, client)).start();
        }

        /** Copies from {@code from} to {@code to} until the end of the stream, then half-closes {@code to}. */
        private void pump(Socket from, Socket to) {
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                in.transferTo(out);
                to.shutdownOutput();
            } catch (IOException e) {
                cut();
                return;
            }
            if (runningPumps.decrementAndGet() == 0) {
                close(client);
                close(backend);
                open.remove(this);
            }
        }

        void cut() {
            open.remove(this);
            reset(client);
            reset(backend);
        }
    }
}
