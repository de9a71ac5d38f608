package io.asyncio4j;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Several failures at once (Python's {@code ExceptionGroup}), as a {@link TaskGroup} raises them: in the
 * order the children failed, the body's own failure last. Each exception is also attached as a suppressed
 * exception, so a printed stack trace shows them all.
 *
 * <h2>Handling some of them ({@code except*})</h2>
 * {@link #split(Class)} divides a group into the exceptions of one type and the rest, keeping nested groups
 * nested, as Python's {@code ExceptionGroup.split}; {@link #subgroup(Class)} keeps only the matching part:
 * <pre>{@code
 * } catch (ExceptionGroup eg) {                        // except* ValueError as values: ...
 *     ExceptionGroup.Split s = eg.split(IllegalArgumentException.class);
 *     if (s.matched() != null) System.out.println("handled " + s.matched().exceptions());
 *     if (s.rest() != null) throw s.rest();            // everything else propagates
 * }
 * }</pre>
 *
 * <p>It prints as Python's {@code repr} does:
 * {@code ExceptionGroup("unhandled errors in a TaskGroup", [IllegalArgumentException("Error!")])}.
 */
public final class ExceptionGroup extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String message;
    private final List<Throwable> exceptions;

    /**
     * A group of {@code exceptions} described by {@code message}.
     *
     * @param message    what the exceptions have in common, for example {@code "unhandled errors in a TaskGroup"}
     * @param exceptions at least one exception, in the order they happened
     * @throws IllegalArgumentException if {@code exceptions} is empty
     */
    public ExceptionGroup(String message, List<? extends Throwable> exceptions) {
        super(message + " (" + Objects.requireNonNull(exceptions, "exceptions").size() + " sub-exception"
                + (exceptions.size() == 1 ? "" : "s") + ")", null, true, true);
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("an ExceptionGroup needs at least one exception");
        }
        this.message = message;
        this.exceptions = List.copyOf(exceptions);
        for (Throwable t : this.exceptions) {
            addSuppressed(t);
        }
    }

    /**
     * The exceptions, in the order they happened.
     *
     * @return an unmodifiable list, never empty
     */
    public List<Throwable> exceptions() {
        return exceptions;
    }

    /**
     * The message given to the constructor, without the count that {@link #getMessage()} adds (Python's
     * {@code message} attribute).
     *
     * @return the message
     */
    public String message() {
        return message;
    }

    /**
     * The exceptions of this group that are instances of {@code type}, and the others (Python's
     * {@code split(type)}). Nested groups are split too, so the structure and messages are kept; a group
     * that is itself an instance of {@code type} matches whole.
     *
     * @param type the exception type to take out, for example {@code IllegalArgumentException.class}
     * @return the two parts; either may be null when nothing falls into it
     */
    public Split split(Class<? extends Throwable> type) {
        Objects.requireNonNull(type, "type");
        return split(type::isInstance);
    }

    /**
     * {@link #split(Class)} with a condition on each exception (Python's {@code split(condition)}); the
     * condition is also asked about this group and nested groups, which match whole when it holds.
     *
     * @param condition true for the exceptions to take out
     * @return the two parts; either may be null when nothing falls into it
     */
    public Split split(Predicate<? super Throwable> condition) {
        Objects.requireNonNull(condition, "condition");
        if (condition.test(this)) {
            return new Split(this, null);
        }
        List<Throwable> matched = new ArrayList<>();
        List<Throwable> rest = new ArrayList<>();
        for (Throwable t : exceptions) {
            if (t instanceof ExceptionGroup nested) {
                Split part = nested.split(condition);
                if (part.matched() != null) {
                    matched.add(part.matched());
                }
                if (part.rest() != null) {
                    rest.add(part.rest());
                }
            } else if (condition.test(t)) {
                matched.add(t);
            } else {
                rest.add(t);
            }
        }
        return new Split(derive(matched), derive(rest));
    }

    /**
     * Only the exceptions that are instances of {@code type} (Python's {@code subgroup(type)}).
     *
     * @param type the exception type to keep
     * @return a group with the same message and nesting, or null when no exception is of that type
     */
    public ExceptionGroup subgroup(Class<? extends Throwable> type) {
        return split(type).matched();
    }

    private ExceptionGroup derive(List<Throwable> parts) {
        if (parts.isEmpty()) {
            return null;
        }
        if (parts.equals(exceptions)) {
            return this;
        }
        ExceptionGroup derived = new ExceptionGroup(message, parts);
        derived.setStackTrace(getStackTrace());
        if (getCause() != null) {
            derived.initCause(getCause());
        }
        return derived;
    }

    /**
     * As Python's {@code repr}: {@code ExceptionGroup("message", [IllegalArgumentException("Error!"), ...])}.
     */
    @Override
    public String toString() {
        return "ExceptionGroup(" + quote(message) + ", "
                + exceptions.stream().map(ExceptionGroup::describe).collect(Collectors.joining(", ", "[", "]")) + ")";
    }

    /**
     * One exception as its simple class name and its message in quotes, {@code IllegalArgumentException("Error!")};
     * a group as {@link #toString()}. Used by {@link Outcome.Failure#toString()} too.
     */
    static String describe(Throwable t) {
        if (t instanceof ExceptionGroup group) {
            return group.toString();
        }
        return t.getClass().getSimpleName() + "(" + (t.getMessage() == null ? "" : quote(t.getMessage())) + ")";
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * The two parts of a {@link #split}: the exceptions that matched and the rest, each a group with the
     * original message, or null when empty.
     *
     * @param matched the matching exceptions, or null
     * @param rest    the other exceptions, or null
     */
    public record Split(ExceptionGroup matched, ExceptionGroup rest) {
    }
}
