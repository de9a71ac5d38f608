package io.asyncio4j.sqlite;

import io.asyncio4j.ThrowingFunction;

import org.sqlite.Function;

import java.sql.Connection;
import java.sql.SQLException;

/** A Java function callable from SQL ({@link Database#createFunction}); runs on the connection's thread. */
final class SqlFunction extends Function {
    private static final int INTEGER = 1;
    private static final int FLOAT = 2;
    private static final int TEXT = 3;
    private static final int BLOB = 4;

    private final String name;
    private final ThrowingFunction<Object[], Object> fn;

    private SqlFunction(String name, ThrowingFunction<Object[], Object> fn) {
        this.name = name;
        this.fn = fn;
    }

    static void register(Connection c, String name, int numArgs, boolean deterministic,
                         ThrowingFunction<Object[], Object> fn) throws SQLException {
        Function.create(c, name, new SqlFunction(name, fn), numArgs, deterministic ? Function.FLAG_DETERMINISTIC : 0);
    }

    @Override
    protected void xFunc() throws SQLException {
        Object[] args = new Object[args()];
        for (int i = 0; i < args.length; i++) {
            args[i] = switch (value_type(i)) {
                case INTEGER -> value_long(i);
                case FLOAT -> value_double(i);
                case TEXT -> value_text(i);
                case BLOB -> value_blob(i);
                default -> null;
            };
        }
        Object out;
        try {
            out = fn.apply(args);
        } catch (Exception | Error e) {
            error("user-defined function " + name + "() raised " + e);
            return;
        }
        switch (out) {
            case null -> result();
            case Long n -> result(n);
            case Integer n -> result(n);
            case Short n -> result(n);
            case Byte n -> result(n);
            case Boolean b -> result(b ? 1 : 0);
            case Double d -> result(d);
            case Float f -> result(f);
            case CharSequence s -> result(s.toString());
            case byte[] b -> result(b);
            default -> error("user-defined function " + name + "() returned a " + out.getClass().getName()
                    + "; return a Long, Double, String, byte[], Boolean or null");
        }
    }
}
