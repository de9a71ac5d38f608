package io.asyncio4j.internal.introspect;

import io.asyncio4j.EventLoop;

import java.time.Duration;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.ReflectionException;

/**
 * The MBean of one running event loop ({@code io.asyncio4j:type=EventLoop,name=EventLoop-N}): attributes
 * {@code Name}, {@code ThreadId}, {@code ThreadName}, {@code TaskCount}, and the operation
 * {@code snapshot()}, which answers the loop's tasks as JSON (see {@link SnapshotJson} for the fields).
 *
 * <p>A dynamic MBean, so that nothing of this library has to be exported for the JDK's MBean server to
 * call it, and the client ({@code asyncio4j ps}) needs none of its classes: everything it reads is a
 * string or a number.
 *
 * <h2>Cancellation and timeouts</h2>
 * {@code snapshot()} is called on a JMX thread and waits for the loop: at most
 * {@link SnapshotTaker#firstTurnTimeout()} for the loop to take its first part (else the answer says the
 * loop is blocked, and by what), at most {@link SnapshotTaker#totalTimeout()} in all. It never blocks the
 * loop: the loop copies its tasks in parts of at most {@link SnapshotTaker#SLICE} each.
 */
final class LoopMBean implements DynamicMBean {
    private final EventLoop loop;

    LoopMBean(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        Introspection.Access a = Introspection.access();
        Thread t = a.loopThread(loop);
        return switch (attribute) {
            case "Name" -> a.loopName(loop);
            case "ThreadId" -> t != null ? t.threadId() : -1L;
            case "ThreadName" -> t != null ? t.getName() : "";
            case "TaskCount" -> a.liveTaskCountRacy(loop);
            default -> throw new AttributeNotFoundException("no attribute " + attribute);
        };
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("the attributes of an event loop's MBean are read-only");
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList list = new AttributeList();
        for (String name : attributes) {
            try {
                list.add(new Attribute(name, getAttribute(name)));
            } catch (AttributeNotFoundException e) {
                // JMX's contract: unknown names are left out
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        if (!actionName.equals("snapshot") || params != null && params.length != 0) {
            throw new ReflectionException(new NoSuchMethodException(actionName),
                    "an event loop's MBean has one operation: snapshot()");
        }
        return SnapshotJson.write(SnapshotTaker.take(loop));
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        MBeanAttributeInfo[] attributes = {
            new MBeanAttributeInfo("Name", "java.lang.String", "the loop's name, EventLoop-N", true, false, false),
            new MBeanAttributeInfo("ThreadId", "long", "the id of the thread running the loop", true, false, false),
            new MBeanAttributeInfo("ThreadName", "java.lang.String", "the name of the thread running the loop",
                    true, false, false),
            new MBeanAttributeInfo("TaskCount", "int", "the number of tasks not done yet", true, false, false),
        };
        MBeanOperationInfo[] operations = {
            new MBeanOperationInfo("snapshot", "the loop's tasks, who awaits whom and where, as JSON; waits for "
                    + "the loop at most " + seconds(SnapshotTaker.firstTurnTimeout()) + " s, then says it is blocked",
                    new MBeanParameterInfo[0], "java.lang.String", MBeanOperationInfo.INFO),
        };
        return new MBeanInfo(LoopMBean.class.getName(), "An asyncio4j event loop and its tasks", attributes, null,
                operations, null);
    }

    private static String seconds(Duration d) {
        return Double.toString(d.toMillis() / 1000.0);
    }
}
