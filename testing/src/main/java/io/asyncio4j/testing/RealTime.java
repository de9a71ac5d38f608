package io.asyncio4j.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes the {@code Runner} that {@link AsyncioExtension} injects use the real clock instead of virtual time.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * @AsyncioTest
 * @RealTime   // the code under test waits for a real socket, so the clock must not jump
 * void readsFromALocalServer(Runner runner) { ... }
 * }</pre>
 * On a class it applies to every test of the class, of its subclasses and of its {@code @Nested} classes.
 *
 * <h2>Pitfalls</h2>
 * Virtual time is the default because it makes timing deterministic and sleeps free: an
 * {@code Asyncio.sleep(3600)} returns at once with the loop clock one hour later. A virtual-time loop
 * already waits for real events while a task is parked in a JDK call (socket, JDK lock), so most tests that
 * do real I/O need no {@code @RealTime}; use it when the code measures elapsed real time.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RealTime {
}
