package io.asyncio4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;

/**
 * Reads the event loops of another local JVM: attaches to it with the JDK's attach mechanism (as the same
 * user; the target needs no flag), starts its local JMX agent ({@code VirtualMachine.startLocalManagementAgent},
 * what JConsole does), and asks each MBean {@code io.asyncio4j:type=EventLoop,name=EventLoop-N} for its
 * snapshot.
 *
 * <p>Before attaching it makes sure the PID is an attachable JVM: the attach mechanism signals its target
 * ({@code SIGQUIT}), which would stop a process that is not a JVM. Each way of failing is one line naming
 * the cause and what to do ({@link Failure}).
 */
final class JvmTasks {
    /** The name pattern of the loops' MBeans. */
    static final String MBEANS = "io.asyncio4j:type=EventLoop,*";
    /** The system property a JVM sets once one of its loops registered an MBean. */
    static final String MARKER = "io.asyncio4j.introspection.registered";

    /** Why another JVM's tasks cannot be read: the message is one line, for the user. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }

    /** A local JVM that runs asyncio4j loops, for {@code ps} without a PID. */
    record Summary(long pid, String mainClass, int loops, int tasks) {
    }

    private JvmTasks() {
    }

    /** The loops of JVM {@code pid}, in loop order; fails with a {@link Failure} naming the cause. */
    static List<TaskSnapshot> snapshots(long pid) {
        checkAttachable(pid);
        VirtualMachine vm = attach(pid);
        try {
            try (JMXConnector c = connect(vm, pid)) {
                MBeanServerConnection server = c.getMBeanServerConnection();
                List<ObjectName> names = loopNames(server);
                if (names.isEmpty()) {
                    throw new Failure("PID " + pid + " is a JVM (" + mainClass(pid) + ") without running asyncio4j event "
                            + "loops (or with introspection off); to see its virtual threads: jcmd " + pid
                            + " Thread.dump_to_file -format=json threads.json");
                }
                List<TaskSnapshot> loops = new ArrayList<>();
                for (ObjectName name : names) {
                    try {
                        loops.add(TaskSnapshot.parse((String) server.invoke(name, "snapshot", null, null)));
                    } catch (javax.management.InstanceNotFoundException gone) {
                        // the loop stopped meanwhile: it has no tasks to show
                    }
                }
                return loops;
            }
        } catch (IOException | JMException e) {
            throw new Failure("cannot read the event loops of PID " + pid + " over JMX: " + e);
        } finally {
            detach(vm);
        }
    }

    /** The local JVMs (other than this one) whose loops registered MBeans, by PID. */
    static List<Summary> list() {
        long self = ProcessHandle.current().pid();
        List<Summary> out = new ArrayList<>();
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            long pid;
            try {
                pid = Long.parseLong(d.id());
            } catch (NumberFormatException e) {
                continue;
            }
            if (pid == self) {
                continue;
            }
            summary(d, pid).ifPresent(out::add);
        }
        out.sort(Comparator.comparingLong(Summary::pid));
        return out;
    }

    private static Optional<Summary> summary(VirtualMachineDescriptor d, long pid) {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(d);
        } catch (AttachNotSupportedException | IOException e) {
            return Optional.empty(); // gone, or not ours to read: jps lists what it can, too
        }
        try {
            Properties p = vm.getSystemProperties();
            if (!"true".equals(p.getProperty(MARKER))) {
                return Optional.empty(); // no loop ever registered there: leave its JMX agent alone
            }
            try (JMXConnector c = connect(vm, pid)) {
                MBeanServerConnection server = c.getMBeanServerConnection();
                List<ObjectName> names = loopNames(server);
                int tasks = 0;
                for (ObjectName name : names) {
                    try {
                        tasks += (Integer) server.getAttribute(name, "TaskCount");
                    } catch (javax.management.InstanceNotFoundException gone) {
                        // stopped meanwhile
                    }
                }
                return names.isEmpty() ? Optional.empty()
                        : Optional.of(new Summary(pid, firstWord(d.displayName()), names.size(), tasks));
            }
        } catch (IOException | JMException | Failure e) {
            return Optional.empty();
        } finally {
            detach(vm);
        }
    }

    /**
     * Fails unless {@code pid} is a JVM this user may attach to. The attach mechanism lists such JVMs
     * ({@link VirtualMachine#list()}, from the JVMs' performance data files); for a PID it does not list,
     * the process and its performance data file say why.
     */
    static void checkAttachable(long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            throw new Failure("no process with PID " + pid + "; 'asyncio4j ps' lists the local JVMs running asyncio4j");
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new Failure("PID " + pid + " is this asyncio4j command itself; give the PID of another JVM");
        }
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            if (d.id().equals(Long.toString(pid))) {
                return;
            }
        }
        String me = System.getProperty("user.name");
        String owner = process.get().info().user().orElse(null);
        if (owner != null && !owner.equals(me) && !me.equals("root")) {
            throw new Failure("PID " + pid + " belongs to user '" + owner + "', not to '" + me + "': the JDK lets only its "
                    + "own user attach to a JVM; run the command as that user (sudo -u " + owner + " asyncio4j ...)");
        }
        if (hasPerfData(pid, owner != null ? owner : me)) {
            throw new Failure("PID " + pid + " is a JVM that does not accept attaching (started with "
                    + "-XX:+DisableAttachMechanism); restart it without that flag to inspect its tasks");
        }
        String command = process.get().info().command().orElse("?");
        if (Path.of(command).getFileName() != null && Path.of(command).getFileName().toString().equals("java")) {
            throw new Failure("PID " + pid + " is a JVM the attach mechanism cannot see (started with -XX:-UsePerfData, "
                    + "or with another temporary directory); restart it without that option to inspect its tasks");
        }
        throw new Failure("PID " + pid + " (" + command + ") is not a Java virtual machine; 'asyncio4j ps' lists the "
                + "local JVMs running asyncio4j");
    }

    /** Whether the JVM of {@code pid} published performance data (every HotSpot JVM does by default). */
    private static boolean hasPerfData(long pid, String user) {
        String tmp = System.getProperty("java.io.tmpdir");
        return Files.exists(Path.of(tmp, "hsperfdata_" + user, Long.toString(pid)))
                || Files.exists(Path.of("/tmp", "hsperfdata_" + user, Long.toString(pid)));
    }

    private static VirtualMachine attach(long pid) {
        try {
            return VirtualMachine.attach(Long.toString(pid));
        } catch (AttachNotSupportedException | IOException e) {
            throw new Failure("cannot attach to PID " + pid + ": " + e.getMessage() + "; the JDK lets only the JVM's own "
                    + "user attach, and not to a JVM started with -XX:+DisableAttachMechanism");
        }
    }

    private static JMXConnector connect(VirtualMachine vm, long pid) throws IOException {
        String address = vm.startLocalManagementAgent();
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(address));
        } catch (IOException e) {
            throw new Failure("PID " + pid + " started its JMX agent at " + address + " but refused the connection: "
                    + e.getMessage());
        }
    }

    /** The loops' MBean names, in loop order (EventLoop-2 before EventLoop-10). */
    private static List<ObjectName> loopNames(MBeanServerConnection server) throws IOException, JMException {
        Set<ObjectName> names = server.queryNames(new ObjectName(MBEANS), null);
        List<ObjectName> sorted = new ArrayList<>(names);
        sorted.sort(Comparator.comparingLong(JvmTasks::loopNumber).thenComparing(ObjectName::toString));
        return sorted;
    }

    private static long loopNumber(ObjectName name) {
        String n = name.getKeyProperty("name");
        try {
            return Long.parseLong(n.substring(n.lastIndexOf('-') + 1));
        } catch (RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String mainClass(long pid) {
        for (VirtualMachineDescriptor d : VirtualMachine.list()) {
            if (d.id().equals(Long.toString(pid))) {
                return firstWord(d.displayName());
            }
        }
        return "main class unknown";
    }

    private static String firstWord(String s) {
        String t = s == null ? "" : s.strip();
        int sp = t.indexOf(' ');
        return t.isEmpty() ? "?" : sp < 0 ? t : t.substring(0, sp);
    }

    private static void detach(VirtualMachine vm) {
        try {
            vm.detach();
        } catch (IOException e) {
            // the target went away: nothing to release
        }
    }
}
