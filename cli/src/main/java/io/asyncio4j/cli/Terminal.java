package io.asyncio4j.cli;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Whether a standard stream of this process is a terminal, libc's {@code isatty(fd)}, and how wide that
 * terminal is, libc's {@code ioctl(fd, TIOCGWINSZ)}, both called through the FFM API ({@code java.lang.foreign}). Java itself only says whether stdin and stdout both are
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
        static final MethodHandle HANDLE = downcall("isatty",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    /** {@code int ioctl(int, unsigned long, ...)} with one pointer argument, or null; looked up once, on first use. */
    private static final class Ioctl {
        // TIOCGWINSZ: Linux's, else the BSDs' and macOS's
        static final long TIOCGWINSZ = System.getProperty("os.name", "").startsWith("Linux") ? 0x5413L : 0x40087468L;
        static final MethodHandle HANDLE = downcall("ioctl",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                Linker.Option.firstVariadicArg(2));
    }

    /** libc's function {@code name} as {@code descriptor} says, or null when it cannot be called. */
    private static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find(name)
                    .map(addr -> linker.downcallHandle(addr, descriptor, options))
                    .orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null; // no native linker, or native access denied
        }
    }

    private Terminal() {
    }

    /**
     * The width in columns of the terminal on file descriptor {@code fd}: what the terminal says
     * ({@code TIOCGWINSZ}), else the {@code COLUMNS} environment variable, else 80.
     */
    static int columns(int fd) {
        MethodHandle ioctl = Ioctl.HANDLE;
        if (ioctl != null) {
            try (Arena arena = Arena.ofConfined()) {
                // struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; }
                MemorySegment size = arena.allocate(8);
                if ((int) ioctl.invokeExact(fd, Ioctl.TIOCGWINSZ, size) == 0) {
                    int cols = Short.toUnsignedInt(size.get(ValueLayout.JAVA_SHORT, 2));
                    if (cols > 0) {
                        return cols;
                    }
                }
            } catch (Throwable e) {
                // fall back to COLUMNS
            }
        }
        return columnsFrom(System.getenv("COLUMNS"));
    }

    /** {@code COLUMNS}'s value as a width: a positive number, else 80. */
    static int columnsFrom(String value) {
        try {
            int n = value == null ? 0 : Integer.parseInt(value.strip());
            return n > 0 ? n : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
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
