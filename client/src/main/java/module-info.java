/**
 * Pagewire's Java client: a page in a Java program. It calls a Pagewire server's exposed objects
 * through Java interfaces and receives its pushes, speaking the wire protocol
 * ({@code docs/PROTOCOL.md}) with the JDK's {@link java.net.http.HttpClient} and gson.
 *
 * <p>Only {@link dev.pagewire.client} is exported. gson converts the application's argument and
 * result types: a modular application opens their packages to it
 * ({@code opens com.example.app to com.google.gson;}).
 */
module dev.pagewire.client {
    exports dev.pagewire.client;

    requires transitive com.google.gson; // Arguments and untyped calls speak gson's JsonElement
    requires java.net.http;
}
