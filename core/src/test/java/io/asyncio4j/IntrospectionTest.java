package io.asyncio4j;

import io.asyncio4j.internal.introspect.Introspection;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop's MBean as another process sees it (through the platform MBean server, as JMX serves it): there
 * while the loop runs and only then, absent when the runner opts out, and its {@code snapshot()}: the live
 * tasks with their stacks and awaiters, taken from a foreign thread without blocking the loop, or the
 * blocking task when the loop does not take its turn. {@code asyncio4j ps}'s tests read the same from a
 * child JVM.
 */
class IntrospectionTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(20);

    /** Waits (polling every 10 ms, on this non-loop thread) until the MBean of {@code loop} is there or not. */
    private static void awaitRegistered(ObjectName name, boolean registered) throws InterruptedException {
        long giveUp = System.nanoTime() + GIVE_UP_NANOS;
        while (SERVER.isRegistered(name) != registered) {
            assertTrue(System.nanoTime() < giveUp, name + (registered ? " never registered" : " never unregistered"));
            Thread.sleep(10);
        }
    }

    /** Runs {@code body} in {@code runner} on a new platform thread; the future completes when it ends. */
    private static CompletableFuture<Void> runElsewhere(Runner runner, ThrowingRunnable body) {
        return CompletableFuture.runAsync(() -> runner.run(body), r -> Thread.ofPlatform().start(r));
    }

    @Test
    void aRunningLoopIsAnMBeanNamedAfterItUntilItStops() throws Exception {
        Task<?>[] main = new Task<?>[1];
        CompletableFuture<Void> stop = new CompletableFuture<>();
        try (Runner runner = new Runner()) {
            EventLoop loop = runner.getLoop();
            ObjectName name = Introspection.objectName(loop);
            assertTrue(name.toString().matches("io\\.asyncio4j:type=EventLoop,name=EventLoop-\\d+"), name.toString());
            assertFalse(SERVER.isRegistered(name), "not before the loop runs");
            CompletableFuture<Void> ran = runElsewhere(runner, () -> {
                main[0] = Asyncio.currentTask();
                stop.get(); // a JDK wait: the task parks, the loop goes on
            });
            awaitRegistered(name, true);
            assertEquals(name.getKeyProperty("name"), SERVER.getAttribute(name, "Name"));
            assertEquals(1, SERVER.getAttribute(name, "TaskCount"));
            stop.complete(null);
            ran.get(20, TimeUnit.SECONDS);
            awaitRegistered(name, false);
        }
    }

    @Test
    void aRunnerWithIntrospectionOffRegistersNothing() throws Exception {
        try (Runner off = Runner.builder().introspection(false).build(); Runner on = new Runner()) {
            ObjectName offName = Introspection.objectName(off.getLoop());
            ObjectName onName = Introspection.objectName(on.getLoop());
            off.run(() -> {
                CompletableFuture<Void> stop = new CompletableFuture<>();
                CompletableFuture<Void> ran = runElsewhere(on, () -> stop.get());
                // registrations happen in order on one thread: once the later loop is there, the
                // opted-out one would have been too
                awaitRegistered(onName, true);
                assertFalse(SERVER.isRegistered(offName));
                stop.complete(null);
                ran.get();
            });
        }
    }

    @Test
    void aSnapshotListsEveryTaskWithItsStackAndTheTasksAwaitingIt() throws Exception {
        CompletableFuture<String> snapshot = new CompletableFuture<>();
        try (Runner runner = new Runner()) {
            ObjectName name = Introspection.objectName(runner.getLoop());
            runner.run(() -> {
                CompletableFuture<Void> childWaits = new CompletableFuture<>();
                Task<Void> child = Asyncio.createTask(() -> waitFor(childWaits, snapshot), "child");
                // the snapshot's request then comes after the child's step
                snapshotFromAnotherThread(name, childWaits, snapshot);
                child.await(); // L:main-awaits-child
            });
        }
        String json = snapshot.get();
        assertTrue(json.contains("\"state\":\"running\""), json);
        assertTrue(json.contains("\"consistent\":true"), json);
        List<String> tasks = objects(json, "\\{\"id\":(\\d+),\"name\":\"([^\"]*)\",\"state\":\"(\\w+)\",\"stack\":(\\[.*?\\]),"
                + "\"awaitedBy\":\\[([\\d,]*)\\]\\}");
        assertEquals(2, tasks.size(), json);
        String[] main = tasks.get(0).split("\\|", -1);
        String[] child = tasks.get(1).split("\\|", -1);
        assertEquals("Task-1", main[1]);
        assertEquals("child", child[1]);
        assertEquals("pending", child[2]);
        assertEquals(main[0], child[4], "child is awaited by main");
        assertEquals("", main[4], "nobody awaits main");
        assertTrue(child[3].startsWith("[{\"function\":\"IntrospectionTest.waitFor\",\"class\":\"" + IntrospectionTest.class.getName()
                + "\",\"method\":\"waitFor\",\"file\":\"IntrospectionTest.java\",\"line\":"), child[3]);
        // the lambda that is main's body reads as the test method it was written in
        assertTrue(main[3].contains("\"function\":\"IntrospectionTest.aSnapshotListsEveryTaskWithItsStackAndTheTasksAwaitingIt\""),
                main[3]);
        assertFalse(json.contains("\"class\":\"io.asyncio4j.Future\""), "library frames are left out: " + json);
        assertFalse(json.contains("\"class\":\"java."), "JDK frames are left out: " + json);
    }

    /** On a new platform thread: once the MBean is there and {@code after} is done, its snapshot into {@code out}. */
    private static void snapshotFromAnotherThread(ObjectName name, CompletableFuture<?> after, CompletableFuture<String> out) {
        Thread.ofPlatform().start(() -> {
            try {
                awaitRegistered(name, true);
                after.get();
                out.complete((String) SERVER.invoke(name, "snapshot", null, null));
            } catch (Exception e) {
                out.completeExceptionally(e);
            }
        });
    }

    /** Says it waits, then waits in a JDK wait (the task parks; the loop goes on) until {@code f} completes. */
    private static Void waitFor(CompletableFuture<Void> waits, CompletableFuture<?> f) throws Exception {
        waits.complete(null);
        f.get();
        return null;
    }

    @Test
    void aSnapshotOfManyMovingTasksStillComesBackWithEveryTask() throws Exception {
        // What counts is that the snapshot ends, whatever the tasks do, not how fast: a busy machine may take
        // longer than the caller's usual patience (1 s for the first part, 10 s in all), so this caller waits
        // as long as it takes (the test's own timeout still ends a snapshot that never would).
        withPatientSnapshots(() -> {
            CompletableFuture<String> snapshot = new CompletableFuture<>();
            try (Runner runner = new Runner()) {
                ObjectName name = Introspection.objectName(runner.getLoop());
                runner.run(() -> {
                    List<Task<Void>> movers = new ArrayList<>();
                    for (int i = 0; i < 2_000; i++) {
                        movers.add(Asyncio.createTask(() -> {
                            while (!snapshot.isDone()) {
                                Asyncio.sleep(0); // every task moves on every turn of the loop
                            }
                            return null;
                        }));
                    }
                    snapshotFromAnotherThread(name, CompletableFuture.completedFuture(null), snapshot);
                    for (Task<Void> t : movers) {
                        t.await();
                    }
                });
            }
            String json = snapshot.get();
            // every task kept moving, so the snapshot may not be consistent, but it ends and has them all
            assertEquals(2_001, objects(json, "\\{\"id\":(\\d+),\"name\":\"([^\"]*)\"").size(), json.substring(0, 300));
            Matcher parts = Pattern.compile("\"parts\":(\\d+)").matcher(json);
            assertTrue(parts.find(), json.substring(0, 300));
            assertTrue(Integer.parseInt(parts.group(1)) >= 1);
        });
    }

    /** Runs {@code body} with both of the snapshot's timeouts (system properties) set to an hour, then restores them. */
    private static void withPatientSnapshots(ThrowingRunnable body) throws Exception {
        String[] timeoutProperties = {"asyncio4j.introspection.timeoutMillis", "asyncio4j.introspection.totalTimeoutMillis"};
        String[] before = new String[timeoutProperties.length];
        for (int i = 0; i < timeoutProperties.length; i++) {
            before[i] = System.setProperty(timeoutProperties[i], Long.toString(TimeUnit.HOURS.toMillis(1)));
        }
        try {
            body.run();
        } finally {
            for (int i = 0; i < timeoutProperties.length; i++) {
                if (before[i] == null) {
                    System.clearProperty(timeoutProperties[i]);
                } else {
                    System.setProperty(timeoutProperties[i], before[i]);
                }
            }
        }
    }

    @Test
    void aBlockedLoopIsReportedWithTheBlockingTaskAndItsStackWithinTheTimeout() throws Exception {
        // `cat` echoes what we write: the task's read of its output pins the loop until we write a line
        Process cat = new ProcessBuilder("cat").start();
        CompletableFuture<String> snapshot = new CompletableFuture<>();
        try (Runner runner = new Runner()) {
            ObjectName name = Introspection.objectName(runner.getLoop());
            runner.run(() -> {
                CompletableFuture<Void> reading = new CompletableFuture<>();
                Thread.ofPlatform().start(() -> {
                    try {
                        awaitRegistered(name, true);
                        reading.get();
                        snapshot.complete((String) SERVER.invoke(name, "snapshot", null, null));
                    } catch (Exception e) {
                        snapshot.completeExceptionally(e);
                    } finally {
                        try {
                            cat.getOutputStream().write('\n');
                            cat.getOutputStream().flush();
                        } catch (java.io.IOException e) {
                            snapshot.completeExceptionally(e);
                        }
                    }
                });
                Asyncio.createTask(() -> readALine(cat.getInputStream(), reading), "reader").await();
            });
        } finally {
            cat.destroyForcibly().waitFor();
        }
        String json = snapshot.get();
        assertTrue(json.contains("\"state\":\"blocked\""), json);
        assertTrue(json.contains("\"taskName\":\"reader\""), json);
        assertTrue(json.contains("{\"function\":\"IntrospectionTest.readALine\",\"class\":\"" + IntrospectionTest.class.getName()
                + "\",\"method\":\"readALine\""), "the blocking task's stack: " + json);
        assertTrue(json.contains("\"class\":\"java.io.FileInputStream\""), "JDK frames stay in a blocked stack: " + json);
        Matcher held = Pattern.compile("\"heldAtLeastMillis\":(\\d+)").matcher(json);
        assertTrue(held.find(), json);
        assertTrue(Long.parseLong(held.group(1)) >= 1000, "at least the snapshot's one-second wait: " + json);
    }

    private static Void readALine(InputStream in, CompletableFuture<Void> reading) throws Exception {
        reading.complete(null);
        in.read(); // a blocking file read: the JDK cannot unmount it, the loop's thread blocks with it
        return null;
    }

    /** Each match of {@code regex}'s groups joined by '|'. */
    private static List<String> objects(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            StringBuilder sb = new StringBuilder();
            for (int g = 1; g <= m.groupCount(); g++) {
                sb.append(g > 1 ? "|" : "").append(m.group(g));
            }
            out.add(sb.toString());
        }
        return out;
    }
}
