package io.asyncio4j.sqlite;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps rows to a record type by name: each record component takes the column of the same name (ignoring case
 * and underscores, so {@code created_at} fills {@code createdAt}). Checked once per query against the result's
 * columns, so a missing column fails before any row is built, naming the columns there are.
 */
final class RecordMapper<R> {
    private static final Map<Class<?>, RecordMapper<?>> CACHE = new ConcurrentHashMap<>();

    private final Class<R> type;
    private final RecordComponent[] components;
    private final Constructor<R> constructor;

    private RecordMapper(Class<R> type) {
        this.type = type;
        this.components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException | RuntimeException e) {
            throw new IllegalArgumentException("cannot construct record " + type.getName() + ": " + e.getMessage()
                    + "; make the record public or open its package to io.asyncio4j.sqlite", e);
        }
    }

    @SuppressWarnings("unchecked")
    static <R> RecordMapper<R> of(Class<R> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException("Database.query(sql, type, ...): " + type.getName()
                    + " is not a record; declare it as `record " + type.getSimpleName() + "(...)` or use query(sql, ...) for Rows");
        }
        return (RecordMapper<R>) CACHE.computeIfAbsent(type, RecordMapper::new);
    }

    List<R> map(List<Row> rows, String sql) {
        List<R> out = new ArrayList<>(rows.size());
        if (rows.isEmpty()) {
            return out;
        }
        int[] columnOf = bind(rows.getFirst().columns(), sql);
        for (Row row : rows) {
            Object[] args = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                args[i] = convert(row, columnOf[i], components[i]);
            }
            try {
                out.add(constructor.newInstance(args));
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot construct " + type.getName() + ": " + e, e);
            }
        }
        return out;
    }

    private int[] bind(List<String> columns, String sql) {
        int[] columnOf = new int[components.length];
        for (int i = 0; i < components.length; i++) {
            String want = normalise(components[i].getName());
            columnOf[i] = -1;
            for (int c = 0; c < columns.size() && columnOf[i] < 0; c++) {
                if (normalise(columns.get(c)).equals(want)) {
                    columnOf[i] = c;
                }
            }
            if (columnOf[i] < 0) {
                throw Errors.programming("Database.query(sql, " + type.getSimpleName() + ".class, ...): the result has no "
                        + "column for record component '" + components[i].getName() + "'; its columns are " + columns
                        + " (alias one with AS " + components[i].getName() + ")", sql);
            }
        }
        return columnOf;
    }

    private static String normalise(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }

    private Object convert(Row row, int column, RecordComponent component) {
        Class<?> t = component.getType();
        Object v = row.get(column);
        if (v == null) {
            if (t.isPrimitive()) {
                throw new ProgrammingError("Database.query(sql, " + type.getSimpleName() + ".class, ...): column '"
                        + row.columns().get(column) + "' is NULL but component '" + component.getName() + "' is a "
                        + t.getName() + "; make it " + boxed(t) + " to accept NULL", -1, null, null);
            }
            return null;
        }
        try {
            if (t == long.class || t == Long.class) {
                return row.getLong(column);
            } else if (t == int.class || t == Integer.class) {
                return row.getInt(column);
            } else if (t == double.class || t == Double.class) {
                return row.getDouble(column);
            } else if (t == boolean.class || t == Boolean.class) {
                return row.getBoolean(column);
            } else if (t == String.class) {
                return row.getString(column);
            } else if (t == byte[].class) {
                return row.getBytes(column);
            } else if (t.isEnum()) {
                return enumValue(t, row.getString(column));
            } else if (t.isInstance(v)) {
                return v;
            }
        } catch (ClassCastException | ArithmeticException | IllegalArgumentException e) {
            throw new ProgrammingError("Database.query(sql, " + type.getSimpleName() + ".class, ...): component '"
                    + component.getName() + "': " + e.getMessage(), -1, null, e);
        }
        throw new ProgrammingError("Database.query(sql, " + type.getSimpleName() + ".class, ...): component '"
                + component.getName() + "' has type " + t.getName() + ", which a column cannot fill; use long, int, "
                + "double, boolean, String, byte[], an enum, or Object", -1, null, null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> t, String name) {
        return Enum.valueOf((Class) t, name);
    }

    private static String boxed(Class<?> t) {
        return t == int.class ? "Integer" : t == long.class ? "Long" : t == double.class ? "Double"
                : t == boolean.class ? "Boolean" : t.getName();
    }
}
