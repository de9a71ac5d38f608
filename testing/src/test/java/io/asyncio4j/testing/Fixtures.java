package io.asyncio4j.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs fixture test classes (marked {@link Fixture}) in JUnit's EngineTestKit, for tests that check what a
 * JUnit extension does to other tests. Fixtures are disabled unless run from here, so an IDE that finds
 * them shows them as skipped.
 */
final class Fixtures {
    private static final String ENABLED = "asyncio4j.testing.fixtures";

    private Fixtures() {
    }

    /** Marks a fixture: a test class that runs only when {@link #run(Class)} runs it. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @ExtendWith(OnlyInEngineTestKit.class)
    @interface Fixture {
    }

    static final class OnlyInEngineTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(ENABLED).isPresent()
                    ? ConditionEvaluationResult.enabled("run by Fixtures.run")
                    : ConditionEvaluationResult.disabled("a fixture: it runs only through Fixtures.run");
        }
    }

    /** Which tests of a fixture passed, and which failed with what (keyed by method name). */
    record Outcomes(Set<String> passed, Map<String, Throwable> failed) {
        Throwable failure(String method) {
            Throwable e = failed.get(method);
            assertNotNull(e, () -> method + " was expected to fail; failed: " + failed.keySet()
                    + ", passed: " + passed);
            return e;
        }
    }

    /** Runs the fixture's tests (on this thread) with a 50 ms grace period for running loops. */
    static Outcomes run(Class<?> fixture) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(fixture))
                .configurationParameter(ENABLED, "true")
                .configurationParameter(AsyncioExtension.GRACE_PERIOD_PARAMETER, "50")
                .execute();
        Set<String> passed = new TreeSet<>();
        Map<String, Throwable> failed = new TreeMap<>();
        results.testEvents().succeeded().stream().forEach(e -> passed.add(methodName(e)));
        results.testEvents().failed().stream().forEach(e -> failed.put(methodName(e),
                e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow()));
        assertEquals(0, results.containerEvents().failed().count(), "no fixture class failed as a whole");
        return new Outcomes(passed, failed);
    }

    private static String methodName(Event e) {
        return ((MethodSource) e.getTestDescriptor().getSource().orElseThrow()).getMethodName();
    }
}
