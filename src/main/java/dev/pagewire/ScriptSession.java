package dev.pagewire;

/**
 * DWR's name for a {@link Page}, kept for one release for code moving from DWR: every page is
 * also a {@code ScriptSession}, and remote methods may still declare a parameter of this type.
 *
 * @deprecated use {@link Page}; {@link #page()} is {@link Page#path()}
 */
@Deprecated(since = "0.1.0", forRemoval = true)
public interface ScriptSession extends Page {
    /**
     * The page's path.
     *
     * @deprecated use {@link #path()}
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    default String page() {
        return path();
    }
}
