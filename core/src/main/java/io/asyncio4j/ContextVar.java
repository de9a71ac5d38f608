package io.asyncio4j;

import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A context variable (Python's {@code contextvars.ContextVar}): a value per {@link Context}, so that each
 * task sees the value its creator had when the task was created, plus whatever the task sets itself.
 *
 * <h2>Usage</h2>
 * <pre>{@code
 * static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id", "-");
 * Token<String> token = REQUEST_ID.set("42");
 * try { handle(); } finally { REQUEST_ID.reset(token); }
 * }</pre>
 *
 * <h2>Pitfalls</h2>
 * {@link #get()} on a variable with no value and no default throws {@link NoSuchElementException}
 * (Python's {@code LookupError}); use {@link #get(Object)} to supply one. Declare variables once
 * (a {@code static final} field): two variables with the same name are still two variables.
 */
public final class ContextVar<T> {
    private final String name;
    private final boolean hasDefault;
    private final T defaultValue;

    /** A variable with no default value. */
    public ContextVar(String name) {
        this.name = Objects.requireNonNull(name, "name");
        this.hasDefault = false;
        this.defaultValue = null;
    }

    /** A variable whose {@link #get()} returns {@code defaultValue} where it has no value. */
    public ContextVar(String name, T defaultValue) {
        this.name = Objects.requireNonNull(name, "name");
        this.hasDefault = true;
        this.defaultValue = defaultValue;
    }

    /** The variable's name (for messages and debugging only). */
    public String name() {
        return name;
    }

    /**
     * The value in the current context, else this variable's default.
     *
     * @throws NoSuchElementException if there is neither
     */
    public T get() {
        Object[] e = Context.current().entries();
        int i = Context.indexOf(e, this);
        if (i >= 0) {
            return cast(e[i + 1]);
        }
        if (hasDefault) {
            return defaultValue;
        }
        throw new NoSuchElementException("ContextVar '" + name + "' has no value in the current context and no "
                + "default: set() it first, give the variable a default, or call get(defaultValue)");
    }

    /** The value in the current context, else {@code defaultValue} (which wins over the variable's default). */
    public T get(T defaultValue) {
        Object[] e = Context.current().entries();
        int i = Context.indexOf(e, this);
        return i >= 0 ? cast(e[i + 1]) : defaultValue;
    }

    /** Sets the value in the current context; the token lets {@link #reset(Token)} restore the old one. */
    public Token<T> set(T value) {
        Context ctx = Context.current();
        Object[] e = ctx.entries();
        int i = Context.indexOf(e, this);
        Object[] next;
        Token<T> token;
        if (i >= 0) {
            token = new Token<>(ctx, this, true, cast(e[i + 1]));
            next = e.clone();
            next[i + 1] = value;
        } else {
            token = new Token<>(ctx, this, false, null);
            next = Arrays.copyOf(e, e.length + 2);
            next[e.length] = this;
            next[e.length + 1] = value;
        }
        ctx.entries(next);
        return token;
    }

    /**
     * Restores the value this variable had before the {@link #set} that returned {@code token}.
     *
     * @throws IllegalArgumentException if the token belongs to another variable or another context
     * @throws IllegalStateException    if the token was used already
     */
    public void reset(Token<T> token) {
        Objects.requireNonNull(token, "token");
        if (token.var() != this) {
            throw new IllegalArgumentException("ContextVar.reset(): the token was created by ContextVar '"
                    + token.var().name() + "', not by '" + name + "'");
        }
        Context ctx = Context.current();
        if (token.context() != ctx) {
            throw new IllegalArgumentException("ContextVar.reset(): the token of '" + name
                    + "' was created in a different Context");
        }
        token.markUsed();
        Object[] e = ctx.entries();
        int i = Context.indexOf(e, this);
        if (token.hasOldValue()) {
            Object[] next = i >= 0 ? e.clone() : Arrays.copyOf(e, e.length + 2);
            int at = i >= 0 ? i : e.length;
            next[at] = this;
            next[at + 1] = token.oldValue();
            ctx.entries(next);
        } else if (i >= 0) {
            Object[] next = new Object[e.length - 2];
            System.arraycopy(e, 0, next, 0, i);
            System.arraycopy(e, i + 2, next, i, e.length - i - 2);
            ctx.entries(next);
        }
    }

    @SuppressWarnings("unchecked")
    T cast(Object value) {
        return (T) value;
    }

    @Override
    public String toString() {
        return "ContextVar[" + name + (hasDefault ? ", default=" + defaultValue : "") + "]";
    }
}
