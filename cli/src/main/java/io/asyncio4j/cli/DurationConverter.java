package io.asyncio4j.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/**
 * Reads durations written as a number and a unit: {@code 250ms}, {@code 1s}, {@code 1.5s}, {@code 2m};
 * a bare number is seconds ({@code 10} is {@code 10s}, as curl's {@code --max-time 10}). A negative duration
 * is refused as such ("must not be negative"), anything else as "not a duration".
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)?");

    @Override
    public Duration convert(String value) {
        String v = value.strip();
        if (v.startsWith("-") && FORM.matcher(v.substring(1).strip()).matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' must not be negative");
        }
        Matcher m = FORM.matcher(v);
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration (examples: 250ms, 1s, 1.5s, 2m)");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double nanos = switch (unit) {
            case "ms" -> n * 1e6;
            case "m" -> n * 60e9;
            default -> n * 1e9;
        };
        if (nanos > Long.MAX_VALUE / 2) {
            throw new CommandLine.TypeConversionException("'" + value + "' is too long a duration");
        }
        return Duration.ofNanos(Math.round(nanos));
    }
}
