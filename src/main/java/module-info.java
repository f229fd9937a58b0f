/**
 * Pagewire: call Java from JavaScript and push from Java to pages, on any Servlet 6 container.
 *
 * <p>Only the API is exported: {@link dev.pagewire}, the embedded launcher
 * {@link dev.pagewire.embed}, and {@link dev.pagewire.spi} for the backends that carry pushes
 * between nodes. Every other package is internal (see {@code CONTRIBUTING.md}).
 *
 * <p>The Servlet API has no single module name: embedded Tomcat carries it inside
 * {@code org.apache.tomcat.embed.core}, the API jar calls it {@code jakarta.servlet}, other
 * containers name their own copy, and two of them on one module path clash (a split package). So
 * Pagewire reads it through Tomcat, which is the container it ships a launcher for, and requires
 * that only {@code static}: on the class path (a WAR, Spring Boot) this file is ignored, and a
 * modular application adds {@code requires org.apache.tomcat.embed.core;} itself.
 *
 * <p>Pagewire reflects on the application, never on itself through another module: it invokes
 * the methods of exposed classes and creates their instances, and gson reads and writes the
 * application's DTOs. A modular application therefore opens those packages:
 * {@code opens com.example.app to dev.pagewire, com.google.gson;} (docs/GUIDE.md).
 */
module dev.pagewire {
    exports dev.pagewire;
    exports dev.pagewire.embed;
    exports dev.pagewire.spi; // for the backends that carry pushes between nodes (pagewire-redis)

    requires com.google.gson;
    requires static transitive org.apache.tomcat.embed.core;
    requires static org.apache.tomcat.embed.websocket; // the websocket mode, where the container has it
    requires jdk.management; // the embedded launcher reads the process's file limit
    requires java.management; // the MBeans of the figures (docs/OBSERVABILITY.md)

    uses dev.pagewire.spi.BackendProvider; // web.xml's init-param backend
}
