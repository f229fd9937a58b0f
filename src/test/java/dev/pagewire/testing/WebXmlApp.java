package dev.pagewire.testing;

import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;

/**
 * A web application on embedded Tomcat (port 0) that declares {@code PagewireServlet} as {@code
 * web.xml} does: by class name, with init-params, mapped at {@code /app/rpc/*}, async supported.
 * Closing it stops Tomcat.
 */
public final class WebXmlApp implements AutoCloseable {
    private final Tomcat tomcat;

    private WebXmlApp(Tomcat tomcat) {
        this.tomcat = tomcat;
    }

    /** Deploys the application with {@code params} as the servlet's init-params, in {@code dir}. */
    public static WebXmlApp deploy(Path dir, Map<String, String> params) {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(dir.toString());
        tomcat.setPort(0);
        tomcat.getConnector().setProperty("address", "localhost");
        Context context = tomcat.addContext("/app", dir.toString());
        // As web.xml would: the class by name, no Pagewire instance passed in.
        Wrapper wrapper = Tomcat.addServlet(context, "pagewire", "dev.pagewire.PagewireServlet");
        params.forEach(wrapper::addInitParameter);
        wrapper.setLoadOnStartup(1);
        wrapper.setAsyncSupported(true);
        context.addServletMappingDecoded("/rpc/*", "pagewire");
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            throw new IllegalStateException("Tomcat did not start", e);
        }
        return new WebXmlApp(tomcat);
    }

    /** The port Tomcat listens on. */
    public int port() {
        return tomcat.getConnector().getLocalPort();
    }

    /** A client of the servlet, mapped at {@code /app/rpc}. */
    public PageClient client() {
        return new PageClient(port(), "/app/rpc");
    }

    @Override
    public void close() {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException("Tomcat did not stop", e);
        }
    }
}
