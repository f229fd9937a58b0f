package dev.pagewire.testing;

/**
 * An exposed class that says which node answered: {@code NodeName.name()} returns the name the node
 * was given. For tests of several nodes (embedded servers or {@link NodeProcess}es) behind a
 * {@link Balancer}.
 */
public final class NodeName {
    private final String name;

    /** A node called {@code name}. */
    public NodeName(String name) {
        this.name = name;
    }

    /** The name of the node that runs this call. */
    public String name() {
        return name;
    }
}
