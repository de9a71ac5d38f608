package io.asyncio4j;

/**
 * What {@link ContextVar#set(Object)} returns, to undo that set with {@link ContextVar#reset(Token)}
 * (Python's {@code contextvars.Token}). A token can be used once, in the context that created it.
 * Python's {@code Token.MISSING} old value is {@code hasOldValue() == false} here.
 */
public final class Token<T> {
    private final Context context;
    private final ContextVar<T> var;
    private final boolean hasOldValue;
    private final T oldValue;
    private boolean used; // written and read by the thread that has the context entered

    Token(Context context, ContextVar<T> var, boolean hasOldValue, T oldValue) {
        this.context = context;
        this.var = var;
        this.hasOldValue = hasOldValue;
        this.oldValue = oldValue;
    }

    /** The variable this token belongs to. */
    public ContextVar<T> var() {
        return var;
    }

    /** Whether the variable had a value before the set (Python: {@code old_value is not Token.MISSING}). */
    public boolean hasOldValue() {
        return hasOldValue;
    }

    /** The value before the set, or null when it had none (see {@link #hasOldValue()}). */
    public T oldValue() {
        return oldValue;
    }

    Context context() {
        return context;
    }

    void markUsed() {
        if (used) {
            throw new IllegalStateException("Token for ContextVar '" + var.name() + "' has already been used once");
        }
        used = true;
    }

    @Override
    public String toString() {
        return "Token[var=" + var.name() + (used ? ", used" : "") + "]";
    }
}
