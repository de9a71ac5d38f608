package io.asyncio4j.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Whether a standard stream of this process is a terminal: libc's {@code isatty(fd)}, called through the
 * FFM API ({@code java.lang.foreign}). Java itself only says whether stdin and stdout both are
 * ({@code System.console()}); {@code fetch} needs each of the three on its own (progress bar on stderr,
 * prompt-free stdin, flushing of stdout).
 *
 * <p>Where libc has no {@code isatty} (Windows), or native access is denied
 * ({@code --illegal-native-access=deny} without {@code --enable-native-access}), every stream counts as
 * not a terminal: the quiet choice for a command whose output may be piped. The launcher passes
 * {@code --enable-native-access=ALL-UNNAMED} so that the JDK prints no warning about the call.
 */
final class Terminal {

    /** File descriptor of standard input. */
    static final int STDIN = 0;

    /** File descriptor of standard output. */
    static final int STDOUT = 1;

    /** File descriptor of standard error. */
    static final int STDERR = 2;

    /** {@code int isatty(int)}, or null when it cannot be called; looked up once, on first use. */
    private static final class Isatty {
        static final MethodHandle HANDLE = lookup();

        private static MethodHandle lookup() {
            try {
                Linker linker = Linker.nativeLinker();
                return linker.defaultLookup().find("isatty")
                        .map(addr -> linker.downcallHandle(addr,
                                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT)))
                        .orElse(null);
            } catch (RuntimeException | LinkageError e) {
                return null; // no native linker, or native access denied
            }
        }
    }

    private Terminal() {
    }

    /** Whether file descriptor {@code fd} of this process is a terminal; false when that cannot be told. */
    static boolean isTerminal(int fd) {
        MethodHandle isatty = Isatty.HANDLE;
        if (isatty == null) {
            return false;
        }
        try {
            return (int) isatty.invokeExact(fd) == 1;
        } catch (Throwable e) {
            return false;
        }
    }
}
