package io.asyncio4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {

    private final DurationConverter c = new DurationConverter();

    @Test
    void readsMillisecondsSecondsAndMinutes() {
        assertEquals(Duration.ofMillis(250), c.convert("250ms"));
        assertEquals(Duration.ofSeconds(1), c.convert("1s"));
        assertEquals(Duration.ofMillis(1500), c.convert("1.5s"));
        assertEquals(Duration.ofMinutes(2), c.convert("2m"));
        assertEquals(Duration.ofSeconds(3), c.convert("3"));
        assertEquals(Duration.ZERO, c.convert("0ms"));
    }

    @Test
    void refusesWhatIsNotADuration() {
        for (String bad : new String[] {"abc", "-1s", "1h", "", "1.s"}) {
            assertThrows(CommandLine.TypeConversionException.class, () -> c.convert(bad), bad);
        }
    }

    @Test
    void aNegativeDurationIsRefusedAsNegative() {
        for (String negative : new String[] {"-1s", "-5", " -250ms"}) {
            CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                    () -> c.convert(negative), negative);
            assertEquals("'" + negative + "' must not be negative", e.getMessage());
        }
        assertEquals("'-x' is not a duration (examples: 250ms, 1s, 1.5s, 2m)",
                assertThrows(CommandLine.TypeConversionException.class, () -> c.convert("-x")).getMessage());
    }
}
