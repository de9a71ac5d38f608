package io.asyncio4j.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A JUnit test checked by {@link AsyncioExtension}: {@code @Test} plus
 * {@code @ExtendWith(AsyncioExtension.class)} on one method.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * @AsyncioTest
 * void sleepAdvancesTheVirtualClock(Runner runner) {
 *     runner.run(() -> Asyncio.sleep(60));
 *     assertEquals(60.0, runner.getLoop().time(), 1e-9);
 * }
 * }</pre>
 * To check every test of a class, put {@code @ExtendWith(AsyncioExtension.class)} on the class and keep
 * plain {@code @Test}; the two can be mixed (JUnit registers the extension once).
 *
 * <h2>Pitfalls</h2>
 * Only the annotated method is checked: its {@code @BeforeEach} and {@code @AfterEach} methods run inside
 * the checked window, but a sibling {@code @Test} without this annotation is not checked.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Test
@ExtendWith(AsyncioExtension.class)
public @interface AsyncioTest {
}
