package io.asyncio4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

import static io.asyncio4j.TestLoops.virtualRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A loop's task threads start in a thread container of the loop's own: the JDK's JSON thread dump (what
 * {@code jcmd <pid> Thread.dump_to_file -format=json} writes) lists them under the loop's name, and the
 * container counts them until they end.
 */
class LoopThreadContainerTest {
    private static final Pattern CONTAINER = Pattern.compile("\"container\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern TID = Pattern.compile("\"tid\"\\s*:\\s*\"?(\\d+)");

    @Test
    void aThreadDumpListsAParkedTasksThreadInsideItsLoopsContainer(@TempDir Path dir) throws Exception {
        try (Runner runner = virtualRunner()) {
            Map<String, List<Long>> dump = runner.run(() -> {
                Future<Void> gate = Asyncio.getRunningLoop().createFuture();
                long[] tid = {0};
                Task<Void> parked = Asyncio.createTask(() -> {
                    tid[0] = Thread.currentThread().threadId();
                    gate.await();
                }, "parked-on-the-gate");
                Asyncio.sleep(0); // its first step: it parks on the gate
                Map<String, List<Long>> containers = threadDump(dir.resolve("dump.json"));
                String mine = "EventLoop-" + Asyncio.getRunningLoop().id + "/";
                List<Long> inLoop = containers.entrySet().stream().filter(e -> e.getKey().startsWith(mine))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                assertNotNull(inLoop, "no container " + mine + "* in " + containers.keySet());
                assertTrue(inLoop.contains(tid[0]), "the parked task's thread in " + inLoop);
                assertTrue(inLoop.contains(Thread.currentThread().threadId()), "the main task's thread in " + inLoop);
                assertFalse(containers.get("<root>").contains(tid[0]), "the task's thread is not in the root container");
                gate.setResult(null);
                parked.await();
                return containers;
            });
            assertFalse(dump.isEmpty());
        }
    }

    @Test
    void theContainerCountsTheLoopsThreadsUntilTheyEndAfterTheLoopCloses() throws Exception {
        EventLoop[] loop = {null};
        try (Runner runner = virtualRunner()) {
            runner.run(() -> {
                loop[0] = Asyncio.getRunningLoop();
                long before = loop[0].threadContainer().threadCount(); // the main task's thread
                Future<Void> gate = loop[0].createFuture();
                List<Task<Void>> tasks = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    tasks.add(Asyncio.createTask(() -> gate.await()));
                }
                Asyncio.sleep(0);
                assertEquals(before + 3, loop[0].threadContainer().threadCount(), "three parked tasks");
                gate.setResult(null);
                for (Task<Void> t : tasks) {
                    t.await();
                }
                // ended tasks give their threads to the loop's pool: alive, and still counted
                assertEquals(before + 3, loop[0].threadContainer().threadCount(), "three pooled threads");
                return null;
            });
        }
        // closing the loop ends its pooled threads, each on the JDK's own scheduler: wait for the last one
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (loop[0].threadContainer().threadCount() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(0, loop[0].threadContainer().threadCount());
    }

    /** The JDK's JSON thread dump, through the HotSpotDiagnostic MBean: each container's name and its threads' ids. */
    private static Map<String, List<Long>> threadDump(Path file) throws Exception {
        ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=HotSpotDiagnostic"),
                "dumpThreads", new Object[] {file.toAbsolutePath().toString(), "JSON"},
                new String[] {String.class.getName(), String.class.getName()}); // an MXBean takes an enum as its name
        String json = Files.readString(file);
        Map<String, List<Long>> out = new LinkedHashMap<>();
        Matcher c = CONTAINER.matcher(json);
        List<Integer> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (c.find()) {
            starts.add(c.start());
            names.add(c.group(1).replace("\\/", "/")); // JSON may escape the slash
        }
        for (int i = 0; i < names.size(); i++) {
            int end = i + 1 < names.size() ? starts.get(i + 1) : json.length();
            Matcher t = TID.matcher(json.substring(starts.get(i), end)); // the container's threads
            List<Long> tids = new ArrayList<>();
            while (t.find()) {
                tids.add(Long.parseLong(t.group(1)));
            }
            out.put(names.get(i), tids);
        }
        return out;
    }
}
