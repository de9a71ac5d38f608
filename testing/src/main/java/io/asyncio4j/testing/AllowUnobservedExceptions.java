package io.asyncio4j.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lets a test leave exceptions that nobody observed: {@link AsyncioExtension} then does not fail it when a
 * failure reaches an event loop's default exception handler ("Task exception was never retrieved",
 * "Exception in callback …"). Leaked loops are still reported.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * @AsyncioTest
 * @AllowUnobservedExceptions   // this test checks what the default handler is told
 * void failureOfAnUnawaitedTaskReachesTheHandler(Runner runner) { ... }
 * }</pre>
 * On a class it applies to every test of the class, of its subclasses and of its {@code @Nested} classes.
 *
 * <h2>Pitfalls</h2>
 * Prefer asserting on the failure itself: set a handler with {@code loop.setExceptionHandler(...)} and
 * collect what it is told. Failures that reach a handler you set never reach the default one, so they need
 * no opt-out. This annotation is for tests of the default handler and of code that sets none.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AllowUnobservedExceptions {
}
