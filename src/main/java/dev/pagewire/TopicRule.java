package dev.pagewire;

import java.util.Objects;

/**
 * Who may subscribe to and publish on the topics a pattern means. Pages may do nothing with a
 * topic unless a rule allows it; the first rule (in the order given to
 * {@link Pagewire.Builder#topic}) whose pattern covers the topic decides, and refuses what it
 * does not allow with {@code FORBIDDEN}. Server code publishes on any topic.
 *
 * <pre>{@code
 * .topic(TopicRule.on("/ticker/prices/*").subscribe(TopicAccess.anyone()))
 * .topic(TopicRule.on("/chat/**").subscribe(TopicAccess.roles("member"))
 *         .publish(TopicAccess.roles("member"), ChatMessage.class))
 * .topic(TopicRule.on("/service/orders").service(TopicAccess.roles("trader"), Order.class, orders::place))
 * }</pre>
 *
 * Immutable: each method returns a new rule.
 */
public final class TopicRule {
    private final String pattern;
    private final TopicAccess subscribers;
    private final TopicAccess publishers;
    private final Class<?> dataType;
    private final TopicHandler<?> service;
    private final Class<?> received;

    private TopicRule(String pattern, TopicAccess subscribers, TopicAccess publishers, Class<?> dataType,
                      TopicHandler<?> service, Class<?> received) {
        this.pattern = pattern;
        this.subscribers = subscribers;
        this.publishers = publishers;
        this.dataType = dataType;
        this.service = service;
        this.received = received;
    }

    /**
     * A rule for the topics {@code pattern} means ({@code /chat/lobby}, {@code /stocks/*} for one
     * segment, {@code /stocks/**} for any depth) that allows nothing yet.
     */
    public static TopicRule on(String pattern) {
        return new TopicRule(Objects.requireNonNull(pattern, "pattern"), null, null, null, null, null);
    }

    /** Pages {@code who} allows may subscribe to these topics (or to patterns within them). */
    public TopicRule subscribe(TopicAccess who) {
        return new TopicRule(pattern, Objects.requireNonNull(who, "who"), publishers, dataType, service, received);
    }

    /**
     * Pages {@code who} allows may subscribe to these topics, and what is published on them is a
     * {@code dataType}: the generated TypeScript declarations ({@code interface/PagewireTopics.d.ts})
     * type the handlers of {@code pagewire.subscribe} with it. A declaration for the pages: server
     * publishes are not checked against it.
     */
    public TopicRule subscribe(TopicAccess who, Class<?> dataType) {
        return new TopicRule(pattern, Objects.requireNonNull(who, "who"), publishers, this.dataType, service,
                Objects.requireNonNull(dataType, "dataType"));
    }

    /**
     * Pages {@code who} allows may publish on these topics; what they publish converts to
     * {@code dataType} strictly, as a remote method's argument (an allow-listed type), and then
     * reaches the subscribed pages as a server publish would.
     */
    public TopicRule publish(TopicAccess who, Class<?> dataType) {
        return new TopicRule(pattern, subscribers, Objects.requireNonNull(who, "who"),
                Objects.requireNonNull(dataType, "dataType"), null, received);
    }

    /**
     * Makes these service topics: pages {@code who} allows publish, {@code handler} receives, and
     * no page ever does (subscribing is refused).
     */
    public <T> TopicRule service(TopicAccess who, Class<T> dataType, TopicHandler<T> handler) {
        return new TopicRule(pattern, null, Objects.requireNonNull(who, "who"),
                Objects.requireNonNull(dataType, "dataType"), Objects.requireNonNull(handler, "handler"), null);
    }

    /** The pattern, as written. */
    public String pattern() {
        return pattern;
    }

    /** Who may subscribe, or {@code null}: nobody. */
    public TopicAccess subscribers() {
        return subscribers;
    }

    /** Who may publish, or {@code null}: nobody. */
    public TopicAccess publishers() {
        return publishers;
    }

    /** The type pages' data converts to, or {@code null} when pages may not publish. */
    public Class<?> dataType() {
        return dataType;
    }

    /** What subscribers receive on these topics, as declared for TypeScript, or {@code null}: undeclared. */
    public Class<?> received() {
        return received;
    }

    /** The server handler of a service topic, or {@code null}. */
    public TopicHandler<?> service() {
        return service;
    }
}
