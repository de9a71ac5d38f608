package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The overloads that spare a body its {@code return null;}: which overload a lambda or method reference
 * reaches, and that the void forms behave as the forms they stand for. Each call below would not compile
 * if an overload made it ambiguous, so this class also guards the common shapes against that.
 */
class LambdaFormsTest {
    private final List<String> events = new ArrayList<>();

    private void worker(String name) {
        events.add(name + " starts at " + now());
        Asyncio.sleep(1);
        events.add(name + " ends at " + now());
    }

    private String fetch(String url) {
        Asyncio.sleep(1);
        return "page " + url;
    }

    private static Integer seven() {
        return 7;
    }

    @Test
    void gatherOfVoidBodiesRunsThemConcurrentlyAndReturnsWhenAllHaveEnded() {
        runVirtual(() -> {
            Asyncio.gather(() -> worker("A"), () -> worker("B"));
            events.add("gathered at " + now());
        });
        assertEquals(List.of("A starts at 0.0", "B starts at 0.0", "A ends at 1.0", "B ends at 1.0", "gathered at 1.0"),
                events);
    }

    @Test
    void gatherOfVoidBodiesThrowsTheFirstFailureAsTheValueFormDoes() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> runVirtual(() -> Asyncio.gather(
                () -> worker("A"),
                () -> {
                    Asyncio.sleep(0.5);
                    throw new IllegalStateException("B failed");
                })));
        assertEquals("B failed", e.getMessage());
    }

    @Test
    void lambdasAndMethodReferencesThatReturnAValueStillReachTheValueForms() {
        List<Object> seen = runVirtual(() -> {
            List<Object> s = new ArrayList<>();
            s.add(Asyncio.gather(() -> fetch("a"), () -> fetch("b")));
            s.add(Asyncio.gather(LambdaFormsTest::seven, LambdaFormsTest::seven));
            s.add(Asyncio.createTask(LambdaFormsTest::seven).await());
            s.add(Asyncio.createTask(() -> fetch("c")).await());
            return s;
        });
        assertEquals(List.of(List.of("page a", "page b"), List.of(7, 7), 7, "page c"), seen);
    }

    @Test
    void createTaskOfAVoidMethodCallNeedsNoReturnNull() {
        runVirtual(() -> {
            Task<Void> t = Asyncio.createTask(() -> worker("A"));
            assertNull(t.await());
            TaskGroup.run(g -> {
                g.createTask(() -> worker("B"));
            });
        });
        assertEquals(List.of("A starts at 0.0", "A ends at 1.0", "B starts at 1.0", "B ends at 2.0"), events);
    }

    @Test
    void aTaskGroupBodyWithoutReturnWaitsForItsTasks() {
        runVirtual(() -> {
            Asyncio.taskGroup(tg -> {
                tg.createTask(() -> worker("A"));
                tg.createTask(() -> worker("B"));
            });
            events.add("group ended at " + now());
        });
        assertEquals(List.of("A starts at 0.0", "B starts at 0.0", "A ends at 1.0", "B ends at 1.0",
                "group ended at 1.0"), events);
    }

    @Test
    void aTaskGroupBodyWithoutReturnReportsFailuresAsAnExceptionGroup() {
        ExceptionGroup eg = assertThrows(ExceptionGroup.class, () -> runVirtual(() -> TaskGroup.run(g -> {
            g.createTask(() -> worker("A"));
            g.createTask(() -> {
                throw new IllegalArgumentException("bad");
            });
        })));
        assertEquals(1, eg.exceptions().size());
        assertInstanceOf(IllegalArgumentException.class, eg.exceptions().getFirst());
        assertEquals(List.of("A starts at 0.0"), events);
    }

    @Test
    void aTaskGroupLambdaWithAnExpressionBodyStillReturnsItsValue() {
        List<String> pages = runVirtual(() -> {
            List<Task<String>> tasks = Asyncio.taskGroup(tg -> List.of(
                    tg.createTask(() -> fetch("a")), tg.createTask(() -> fetch("b"))));
            Task<String> one = TaskGroup.run(g -> g.createTask(() -> fetch("c")));
            return List.of(tasks.get(0).result(), tasks.get(1).result(), one.result());
        });
        assertEquals(List.of("page a", "page b", "page c"), pages);
    }

    @Test
    void gatherSettledOverItemsReportsEachOutcomeInItemOrder() {
        List<Outcome<Integer>> outcomes = runVirtual(() -> Asyncio.gatherSettled(List.of(3, 0, 1), n -> {
            Asyncio.sleep(n);
            if (n == 0) {
                throw new IllegalArgumentException("Error!");
            }
            return n * 10;
        }));
        assertEquals("[30, IllegalArgumentException(\"Error!\"), 10]", outcomes.toString());
        assertEquals(30, outcomes.getFirst().getOrThrow());
    }

    @Test
    void anEmptyGatherIsWrittenWithAnEmptyListAndReturnsAnEmptyList() {
        // a bare gather() matches both varargs forms and does not compile; docs/asyncio-mapping.md says so
        List<Object> none = runVirtual(() -> Asyncio.gather(List.of()));
        assertEquals(List.of(), none);
    }

    @Test
    void gatherOverItemsReturnsResultsInItemOrder() {
        List<String> pages = runVirtual(() -> Asyncio.gather(List.of("x", "y"), this::fetch));
        assertEquals(List.of("page x", "page y"), pages);
    }
}
