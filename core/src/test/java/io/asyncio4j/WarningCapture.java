package io.asyncio4j;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records the messages logged at WARNING or above on the {@code io.asyncio4j} logger (the watchdog's and the
 * stuck loop's reports) between {@link #start()} and {@link #stop()}; any thread may log meanwhile.
 */
final class WarningCapture {
    // held strongly: java.util.logging keeps only weak references to loggers nobody holds
    private static final Logger LOGGER = Logger.getLogger("io.asyncio4j");

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** The messages recorded so far, live. */
    List<String> warnings() {
        return warnings;
    }

    void start() {
        LOGGER.addHandler(handler);
    }

    void stop() {
        LOGGER.removeHandler(handler);
    }
}
