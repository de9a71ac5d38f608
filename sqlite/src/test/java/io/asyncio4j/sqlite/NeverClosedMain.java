package io.asyncio4j.sqlite;

import io.asyncio4j.Asyncio;
import io.asyncio4j.Runner;

/**
 * A child JVM for {@link ProcessTest}: opens a database, writes a row and never closes it.
 * {@code loop-closes}: inside {@code Asyncio.run}, whose loop closes it (with a warning);
 * {@code loop-left-open}: inside a {@code Runner} that is never closed either, so only the daemon
 * connection thread is left when {@code main} returns, and the JVM must still exit.
 */
public final class NeverClosedMain {
    private NeverClosedMain() {
    }

    public static void main(String[] args) {
        String path = args[0];
        switch (args[1]) {
            case "loop-closes" -> Asyncio.run(() -> Database.connect(path).execute("CREATE TABLE t(x)"));
            case "loop-left-open" -> new Runner().run(() -> Database.connect(path).execute("CREATE TABLE t(x)"));
            default -> throw new IllegalArgumentException(args[1]);
        }
        System.out.println("main returned");
    }
}
