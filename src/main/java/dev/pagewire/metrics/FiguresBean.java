package dev.pagewire.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;

/**
 * A read-only MBean whose attributes are named figures ({@code long}s read when asked). Dynamic
 * rather than a standard MBean interface, so that JMX reads it without reflecting on an
 * internal package of the module.
 *
 * <p><b>Threading.</b> Built once, then read by any JMX client thread; each read calls the
 * figure's supplier, which must be thread-safe.
 */
public final class FiguresBean implements DynamicMBean {
    private final Map<String, LongSupplier> figures;
    private final MBeanInfo info;

    /** An MBean described by {@code description}, with {@code figures} in their order. */
    public FiguresBean(String description, Map<String, LongSupplier> figures) {
        this.figures = new LinkedHashMap<>(figures);
        MBeanAttributeInfo[] attributes = this.figures.keySet().stream()
                .map(name -> new MBeanAttributeInfo(name, "long", name, true, false, false))
                .toArray(MBeanAttributeInfo[]::new);
        this.info = new MBeanInfo(FiguresBean.class.getName(), description, attributes, null,
                new MBeanOperationInfo[0], null);
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        LongSupplier figure = figures.get(attribute);
        if (figure == null) {
            throw new AttributeNotFoundException(attribute);
        }
        return figure.getAsLong();
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList out = new AttributeList();
        for (String name : attributes) {
            LongSupplier figure = figures.get(name);
            if (figure != null) {
                out.add(new Attribute(name, figure.getAsLong()));
            }
        }
        return out;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException(attribute.getName() + " is read-only");
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new UnsupportedOperationException("no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }
}
