package io.asyncio4j;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static io.asyncio4j.TestLoops.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ExceptionGroup}'s {@code split}/{@code subgroup} (Python's {@code except*}) and how it prints. */
class ExceptionGroupTest {
    private final IllegalArgumentException value1 = new IllegalArgumentException("v1");
    private final IllegalArgumentException value2 = new IllegalArgumentException("v2");
    private final IllegalStateException state = new IllegalStateException("s");
    private final IOException io = new IOException("io");

    @Test
    void splitSeparatesTheMatchingExceptionsFromTheRestKeepingTheMessage() {
        // test_exceptions.py ExceptionGroupSplitTests: basics
        ExceptionGroup eg = new ExceptionGroup("msg", List.of(value1, state, value2));
        ExceptionGroup.Split s = eg.split(IllegalArgumentException.class);
        assertEquals(List.of(value1, value2), s.matched().exceptions());
        assertEquals(List.of(state), s.rest().exceptions());
        assertEquals("msg", s.matched().message());
        assertEquals("msg", s.rest().message());
    }

    @Test
    void splitKeepsNestedGroupsNested() {
        ExceptionGroup inner = new ExceptionGroup("inner", List.of(value2, io));
        ExceptionGroup eg = new ExceptionGroup("outer", List.of(value1, inner, state));
        ExceptionGroup.Split s = eg.split(IllegalArgumentException.class);
        assertEquals("ExceptionGroup(\"outer\", [IllegalArgumentException(\"v1\"), "
                + "ExceptionGroup(\"inner\", [IllegalArgumentException(\"v2\")])])", s.matched().toString());
        assertEquals("ExceptionGroup(\"outer\", [ExceptionGroup(\"inner\", [IOException(\"io\")]), "
                + "IllegalStateException(\"s\")])", s.rest().toString());
    }

    @Test
    void anEmptySideIsNullAndAGroupThatMatchesWholeIsReturnedItself() {
        ExceptionGroup eg = new ExceptionGroup("msg", List.of(value1, value2));
        ExceptionGroup.Split s = eg.split(IllegalArgumentException.class);
        assertSame(eg, s.matched());
        assertNull(s.rest());
        assertNull(eg.split(IOException.class).matched());
        assertSame(eg, eg.split(RuntimeException.class).matched());
        assertSame(eg, eg.split(t -> t instanceof ExceptionGroup).matched());
    }

    @Test
    void subgroupKeepsOnlyTheMatchingExceptions() {
        ExceptionGroup eg = new ExceptionGroup("msg", List.of(value1, state));
        assertEquals(List.of(state), eg.subgroup(IllegalStateException.class).exceptions());
        assertNull(eg.subgroup(IOException.class));
    }

    @Test
    void handlingTheValueErrorsOfATaskGroupAndReRaisingTheRestTakesThreeLines() {
        // Python: try: ... except* ValueError as eg: handled = eg.exceptions   (other errors propagate)
        List<String> handled = new java.util.ArrayList<>();
        ExceptionGroup rest = assertThrows(ExceptionGroup.class, () -> runVirtual(() -> {
            try {
                TaskGroup.run(g -> {
                    g.createTask(() -> {
                        throw new IllegalArgumentException("bad value");
                    });
                    g.createTask(() -> {
                        throw new IllegalStateException("bad state");
                    });
                });
            } catch (ExceptionGroup eg) {
                ExceptionGroup.Split s = eg.split(IllegalArgumentException.class);
                s.matched().exceptions().forEach(e -> handled.add(e.getMessage()));
                throw s.rest();
            }
        }));
        assertEquals(List.of("bad value"), handled);
        assertEquals("ExceptionGroup(\"unhandled errors in a TaskGroup\", [IllegalStateException(\"bad state\")])",
                rest.toString());
    }

    @Test
    void aGroupAndItsOutcomesPrintAsPythonsRepr() {
        ExceptionGroup eg = new ExceptionGroup("two", List.of(new IllegalArgumentException("Error!"),
                new IllegalStateException()));
        assertEquals("ExceptionGroup(\"two\", [IllegalArgumentException(\"Error!\"), IllegalStateException()])",
                eg.toString());
        assertEquals("two (2 sub-exceptions)", eg.getMessage());
        assertEquals("1", new Outcome.Success<>(1).toString());
        assertEquals("null", new Outcome.Success<>(null).toString());
        assertEquals("IllegalArgumentException(\"say \\\"hi\\\"\")",
                new Outcome.Failure<>(new IllegalArgumentException("say \"hi\"")).toString());
    }
}
