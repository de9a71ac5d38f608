package io.asyncio4j;

import java.io.Serial;
import java.util.List;
import java.util.Objects;

/**
 * Several failures at once (Python's {@code ExceptionGroup}), as a {@link TaskGroup} raises them: in the
 * order the children failed, the body's own failure last. Each exception is also attached as a suppressed
 * exception, so a printed stack trace shows them all.
 */
public final class ExceptionGroup extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final List<Throwable> exceptions;

    public ExceptionGroup(String message, List<? extends Throwable> exceptions) {
        super(message + " (" + Objects.requireNonNull(exceptions, "exceptions").size() + " sub-exception"
                + (exceptions.size() == 1 ? "" : "s") + ")", null, true, true);
        if (exceptions.isEmpty()) {
            throw new IllegalArgumentException("an ExceptionGroup needs at least one exception");
        }
        this.exceptions = List.copyOf(exceptions);
        for (Throwable t : this.exceptions) {
            addSuppressed(t);
        }
    }

    /** The exceptions, in the order they happened. */
    public List<Throwable> exceptions() {
        return exceptions;
    }
}
