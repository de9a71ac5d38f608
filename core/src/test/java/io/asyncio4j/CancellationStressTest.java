package io.asyncio4j;

import io.asyncio4j.sync.StressSeeds;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

import static io.asyncio4j.TestLoops.now;
import static io.asyncio4j.TestLoops.runVirtual;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * No cancellation is ever lost or invented, whatever the nesting: random trees of {@code TaskGroup}
 * (sometimes cancelled by one of its tasks), {@code timeout}, {@code waitFor} on a task, {@code shield} and
 * {@code gather}, over sleeping leaves (some sleeping again in a {@code finally}), run in a task that is
 * cancelled from outside at random virtual times. Every scope checks, each time it is left:
 * <ul>
 *   <li>a {@link CancelledError} leaves it only if something that may cancel it asked for one (an outside
 *       cancel that reaches it, an enclosing timeout or waitFor that expired, its group's cancel), and then
 *       the task's {@code cancelling()} is above its value at entry (nobody swallowed the request);</li>
 *   <li>when it returns normally or raises its own {@link TimeoutError}, {@code cancelling()} is back to its
 *       value at entry; a timeout raises only once its deadline passed and returns normally only before;</li>
 *   <li>the outermost task ends cancelled exactly when an outside cancel reached it before it ended.</li>
 * </ul>
 * Seeds and sizes as the sync primitives' stress tests ({@link StressSeeds}): replayable by seed.
 */
class CancellationStressTest {
    private static final int TREES = 25;

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.asyncio4j.sync.StressSeeds#seeds")
    void aCancelNoScopeAskedForLeavesTheOutermostScopeAndEachScopeSwallowsOnlyItsOwn(long seed) {
        StressSeeds.replayable("Cancellation scopes", seed, () -> {
            Random rnd = new Random(seed);
            for (int i = 0; i < TREES * StressSeeds.scale(); i++) {
                new Run(rnd).check();
            }
        });
    }

    /** Something that may cancel the scopes under it; asked only when a CancelledError is seen. */
    @FunctionalInterface
    private interface Canceller {
        boolean fired();
    }

    /** One random tree and the outside cancels aimed at the task running it. Loop thread only. */
    private static final class Run {
        private final Random rnd;
        private final Node root;
        private final double[] outsideCancels;
        private final List<String> violations = new ArrayList<>();
        private final List<Task<?>> shielded = new ArrayList<>();
        private boolean outsideFired;

        Run(Random rnd) {
            this.rnd = rnd;
            this.root = node(0);
            this.outsideCancels = new double[rnd.nextInt(3)];
            for (int i = 0; i < outsideCancels.length; i++) {
                outsideCancels[i] = quarter(0, 16);
            }
        }

        private double quarter(int from, int to) {
            return (from + rnd.nextInt(to - from + 1)) / 4.0;
        }

        private Node node(int depth) {
            int kind = depth >= 4 ? 0 : rnd.nextInt(depth == 0 ? 5 : 7) + (depth == 0 ? 1 : 0);
            return switch (kind) {
                case 0, 6 -> new Leaf(quarter(0, 12), rnd.nextInt(3) == 0 ? quarter(1, 6) : 0);
                case 1 -> new Group(children(depth), rnd.nextInt(3) == 0 ? quarter(0, 12) : -1);
                case 2 -> new TimeoutScope(quarter(0, 12), node(depth + 1));
                case 3 -> new WaitFor(quarter(1, 12), node(depth + 1));
                case 4 -> new Shielded(node(depth + 1));
                default -> new Gathered(children(depth));
            };
        }

        private List<Node> children(int depth) {
            List<Node> out = new ArrayList<>();
            for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
                out.add(node(depth + 1));
            }
            return out;
        }

        void check() {
            runVirtual(() -> {
                Task<Object> outer = Asyncio.createTask(() -> root.run(List.of(() -> outsideFired)), "outer");
                List<Task<Void>> cancellers = new ArrayList<>();
                for (double at : outsideCancels) {
                    cancellers.add(Asyncio.createTask(() -> {
                        Asyncio.sleep(at);
                        if (outer.cancel("outside at " + at)) {
                            outsideFired = true;
                        }
                    }));
                }
                try {
                    outer.await();
                } catch (CancelledError e) {
                    // checked below
                }
                if (outer.cancelled() != outsideFired) {
                    violations.add("the outer task " + (outer.cancelled() ? "ended cancelled without" : "did not end "
                            + "cancelled despite") + " an outside cancel");
                }
                for (Task<Void> c : cancellers) {
                    c.await();
                }
                for (int i = 0; i < shielded.size(); i++) {
                    Task<?> t = shielded.get(i); // a shielded task may shield more: the list grows
                    try {
                        t.await();
                    } catch (CancelledError e) {
                        // its own nodes reported it if it was a violation
                    }
                }
                // gather fails at the first cancelled child while the others may still clean up (as asyncio's):
                // let every straggler end, so that its scopes are checked too
                for (Task<?> t : Asyncio.allTasks()) {
                    if (t != Asyncio.currentTask()) {
                        try {
                            t.await();
                        } catch (CancelledError e) {
                            // its own nodes reported it if it was a violation
                        }
                    }
                }
            });
            assertEquals(List.of(), violations, () -> "tree " + root + ", outside cancels at "
                    + java.util.Arrays.toString(outsideCancels));
        }

        /** A node of the tree: runs in the calling task under the given cancellers. */
        private abstract class Node {
            final Object run(List<Canceller> cancellers) throws Exception {
                Task<?> task = Asyncio.currentTask();
                int atEntry = task.cancelling();
                try {
                    Object value = body(cancellers);
                    if (task.cancelling() != atEntry) {
                        violations.add(this + " returned at " + now() + " with cancelling() " + task.cancelling()
                                + ", " + atEntry + " at entry");
                    }
                    return value;
                } catch (CancelledError e) {
                    if (cancellers.stream().noneMatch(Canceller::fired)) {
                        violations.add(this + " raised a CancelledError at " + now() + " that nobody asked for");
                    }
                    if (task.cancelling() <= atEntry) {
                        violations.add(this + " raised a CancelledError at " + now() + " whose request was "
                                + "swallowed (cancelling() " + task.cancelling() + ", " + atEntry + " at entry)");
                    }
                    throw e;
                }
            }

            abstract Object body(List<Canceller> cancellers) throws Exception;

            /** The cancellers of this node plus one more. */
            final List<Canceller> with(List<Canceller> cancellers, Canceller c) {
                List<Canceller> out = new ArrayList<>(cancellers);
                out.add(c);
                return out;
            }
        }

        private final class Leaf extends Node {
            final double sleep;
            final double cleanup;

            Leaf(double sleep, double cleanup) {
                this.sleep = sleep;
                this.cleanup = cleanup;
            }

            @Override
            Object body(List<Canceller> cancellers) {
                try {
                    Asyncio.sleep(sleep);
                } finally {
                    if (cleanup > 0) {
                        Asyncio.sleep(cleanup); // raises at once if the cancel came before; else runs fully
                    }
                }
                return "leaf";
            }

            @Override
            public String toString() {
                return "sleep(" + sleep + (cleanup > 0 ? ", finally " + cleanup : "") + ")";
            }
        }

        private final class Group extends Node {
            final List<Node> children;
            final double cancelAt;

            Group(List<Node> children, double cancelAt) {
                this.children = children;
                this.cancelAt = cancelAt;
            }

            @Override
            Object body(List<Canceller> cancellers) throws Exception {
                boolean[] cancelled = {false};
                List<Canceller> under = with(cancellers, () -> cancelled[0]);
                return TaskGroup.run(g -> {
                    for (Node child : children) {
                        g.createTask(() -> child.run(under));
                    }
                    if (cancelAt >= 0) {
                        g.createTask(() -> {
                            Asyncio.sleep(cancelAt);
                            cancelled[0] = true;
                            g.cancel();
                        });
                    }
                    return "group";
                });
            }

            @Override
            public String toString() {
                return "group" + (cancelAt >= 0 ? "(cancel at +" + cancelAt + ")" : "") + children;
            }
        }

        private final class TimeoutScope extends Node {
            final double delay;
            final Node child;

            TimeoutScope(double delay, Node child) {
                this.delay = delay;
                this.child = child;
            }

            @Override
            Object body(List<Canceller> cancellers) throws Exception {
                Timeout[] scope = new Timeout[1];
                double deadline = now() + delay;
                try {
                    Object v = Asyncio.timeout(Duration.ofMillis((long) (delay * 1000)), t -> {
                        scope[0] = t;
                        return child.run(with(cancellers, t::expired));
                    });
                    if (now() > deadline) {
                        violations.add(this + " returned normally at " + now() + ", after its deadline");
                    }
                    return v;
                } catch (TimeoutError e) {
                    if (!scope[0].expired() || now() < deadline) {
                        violations.add(this + " raised TimeoutError at " + now() + " before its deadline");
                    }
                    return "timed out";
                }
            }

            @Override
            public String toString() {
                return "timeout(" + delay + ", " + child + ")";
            }
        }

        private final class WaitFor extends Node {
            final double delay;
            final Node child;

            WaitFor(double delay, Node child) {
                this.delay = delay;
                this.child = child;
            }

            @Override
            Object body(List<Canceller> cancellers) {
                double deadline = now() + delay;
                List<Canceller> under = with(cancellers, () -> now() >= deadline);
                try {
                    return Asyncio.waitFor(Asyncio.createTask(() -> child.run(under)),
                            Duration.ofMillis((long) (delay * 1000)));
                } catch (TimeoutError e) {
                    if (now() < deadline) {
                        violations.add(this + " raised TimeoutError at " + now() + " before its deadline");
                    }
                    return "timed out";
                }
            }

            @Override
            public String toString() {
                return "waitFor(" + delay + ", " + child + ")";
            }
        }

        private final class Shielded extends Node {
            final Node child;

            Shielded(Node child) {
                this.child = child;
            }

            @Override
            Object body(List<Canceller> cancellers) {
                // nothing outside the shield may cancel what runs inside it
                Task<Object> inner = Asyncio.createTask(() -> child.run(List.of()));
                shielded.add(inner);
                return Asyncio.shield(inner);
            }

            @Override
            public String toString() {
                return "shield(" + child + ")";
            }
        }

        private final class Gathered extends Node {
            final List<Node> children;

            Gathered(List<Node> children) {
                this.children = children;
            }

            @Override
            Object body(List<Canceller> cancellers) {
                List<Callable<Object>> coros = new ArrayList<>();
                for (Node child : children) {
                    coros.add(() -> child.run(cancellers));
                }
                return Asyncio.gather(coros.toArray(Callable[]::new));
            }

            @Override
            public String toString() {
                return "gather" + children;
            }
        }
    }
}
