package io.asyncio4j.internal;

/**
 * How an internal package reaches what the kernel keeps package-private (the JDK's {@code SharedSecrets}
 * pattern). The package declares an {@code Access} interface and holds one of these; a package-private class
 * of {@code io.asyncio4j} implements the interface and installs itself with {@link #set} from its static
 * initialiser. {@link #get} runs that initialiser on first use, so no kernel class has to know about the
 * package, and the package sees nothing of the kernel beyond its interface.
 *
 * <p>Thread-safety: {@link #set} is called once, by the kernel class's initialiser; {@link #get} from any thread.
 *
 * @param <A> the package's access interface
 */
public final class KernelAccess<A> {
    // the kernel class that implements A and installs it from its static initialiser
    private final String implementation;
    // the class whose loader finds the kernel class (the holder's: the module's loader)
    private final Class<?> holder;
    // written once by the kernel's class initialiser; read by any thread
    private volatile A access;

    /** Access to be installed by the kernel class named {@code implementation}, found through {@code holder}. */
    public KernelAccess(String implementation, Class<?> holder) {
        this.implementation = implementation;
        this.holder = holder;
    }

    /** Called once, by the kernel's implementation. */
    public void set(A a) {
        access = a;
    }

    /** The kernel's implementation, initialising it on first use. */
    public A get() {
        A a = access;
        if (a == null) {
            try {
                Class.forName(implementation, true, holder.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("asyncio4j is incomplete: " + implementation + " is missing", e);
            }
            a = access;
        }
        return a;
    }
}
