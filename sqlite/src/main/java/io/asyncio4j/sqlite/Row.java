package io.asyncio4j.sqlite;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * One row of a query result (Python's {@code sqlite3.Row}): values by column index (0-based, as
 * {@code row[0]}) or by column name (as {@code row["name"]}; exact match first, then ignoring case, as
 * {@code sqlite3.Row} does), typed getters, and {@link #toMap()}.
 *
 * <p>Values are what SQLite stored: {@code Long} for INTEGER, {@code Double} for REAL, {@code String} for
 * TEXT, {@code byte[]} for BLOB, {@code null} for NULL. The typed getters convert the way SQLite's own
 * {@code CAST} would not surprise anyone: {@link #getLong} of a REAL truncates, {@link #getString} of a number
 * is its decimal text; a conversion that makes no sense (a BLOB as a number) throws {@link ClassCastException}
 * naming the column.
 *
 * <p>Immutable, so a row may be handed to any thread; the {@code byte[]} of a BLOB is the row's own array.
 */
public final class Row {
    private final Columns columns;
    private final Object[] values;

    Row(Columns columns, Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    /** The column names of a result, shared by its rows. */
    static final class Columns {
        final List<String> names;
        private final Map<String, Integer> exact = new HashMap<>();
        private final Map<String, Integer> folded = new HashMap<>();

        Columns(List<String> names) {
            this.names = List.copyOf(names);
            for (int i = names.size() - 1; i >= 0; i--) { // the first of duplicate names wins, as sqlite3.Row
                exact.put(names.get(i), i);
                folded.put(names.get(i).toLowerCase(Locale.ROOT), i);
            }
        }

        static Columns of(ResultSetMetaData md) throws SQLException {
            int n = md.getColumnCount();
            String[] names = new String[n];
            for (int i = 0; i < n; i++) {
                names[i] = md.getColumnLabel(i + 1);
            }
            return new Columns(Arrays.asList(names));
        }

        int index(String name) {
            Integer i = exact.get(name);
            if (i == null) {
                i = folded.get(name.toLowerCase(Locale.ROOT));
            }
            if (i == null) {
                throw new NoSuchElementException("no column named '" + name + "' in this row; its columns are " + names);
            }
            return i;
        }

        /** Reads the current row of {@code rs}. */
        Row read(ResultSet rs) throws SQLException {
            Object[] values = new Object[names.size()];
            for (int i = 0; i < values.length; i++) {
                Object v = rs.getObject(i + 1);
                values[i] = v instanceof Integer n ? Long.valueOf(n.longValue()) : v;
            }
            return new Row(this, values);
        }
    }

    /** The number of columns. */
    public int size() {
        return values.length;
    }

    /** The column names, in order (Python's {@code row.keys()}). */
    public List<String> columns() {
        return columns.names;
    }

    /** The value of column {@code index} (0-based). @throws IndexOutOfBoundsException for a bad index */
    public Object get(int index) {
        return values[checkIndex(index)];
    }

    /** The value of the column named {@code name}. @throws NoSuchElementException naming the columns there are */
    public Object get(String name) {
        return values[columns.index(name)];
    }

    /** Whether column {@code index} is NULL. */
    public boolean isNull(int index) {
        return get(index) == null;
    }

    /** Whether the column named {@code name} is NULL. */
    public boolean isNull(String name) {
        return get(name) == null;
    }

    /** Column {@code index} as a long; NULL is 0, as JDBC's {@code getLong}; REAL is truncated. */
    public long getLong(int index) {
        return asNumber(index).longValue();
    }

    /** The named column as a long; see {@link #getLong(int)}. */
    public long getLong(String name) {
        return getLong(columns.index(name));
    }

    /** Column {@code index} as an int. @throws ArithmeticException if the value does not fit */
    public int getInt(int index) {
        return Math.toIntExact(getLong(index));
    }

    /** The named column as an int; see {@link #getInt(int)}. */
    public int getInt(String name) {
        return getInt(columns.index(name));
    }

    /** Column {@code index} as a double; NULL is 0.0. */
    public double getDouble(int index) {
        return asNumber(index).doubleValue();
    }

    /** The named column as a double; see {@link #getDouble(int)}. */
    public double getDouble(String name) {
        return getDouble(columns.index(name));
    }

    /** Column {@code index} as a boolean: non-zero is true (SQLite stores booleans as 0 and 1); NULL is false. */
    public boolean getBoolean(int index) {
        return asNumber(index).doubleValue() != 0;
    }

    /** The named column as a boolean; see {@link #getBoolean(int)}. */
    public boolean getBoolean(String name) {
        return getBoolean(columns.index(name));
    }

    /** Column {@code index} as text: TEXT as is, a number as its decimal text, NULL as null. */
    public String getString(int index) {
        Object v = get(index);
        if (v instanceof byte[]) {
            throw new ClassCastException("column '" + columns.names.get(index) + "' holds a BLOB, not text; use getBytes");
        }
        return v == null ? null : v.toString();
    }

    /** The named column as text; see {@link #getString(int)}. */
    public String getString(String name) {
        return getString(columns.index(name));
    }

    /** Column {@code index} as bytes: a BLOB as is, TEXT as UTF-8, NULL as null. */
    public byte[] getBytes(int index) {
        Object v = get(index);
        if (v instanceof String s) {
            return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        if (v instanceof Number) {
            throw new ClassCastException("column '" + columns.names.get(index) + "' holds a number, not a BLOB");
        }
        return (byte[]) v;
    }

    /** The named column as bytes; see {@link #getBytes(int)}. */
    public byte[] getBytes(String name) {
        return getBytes(columns.index(name));
    }

    /** Column name to value, in column order (Python's {@code dict(row)}). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            map.putIfAbsent(columns.names.get(i), values[i]);
        }
        return map;
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= values.length) {
            throw new IndexOutOfBoundsException("column index " + index + " is out of range: this row has "
                    + values.length + " columns " + columns.names);
        }
        return index;
    }

    private Number asNumber(int index) {
        Object v = get(index);
        if (v == null) {
            return 0L;
        }
        if (v instanceof Number n) {
            return n;
        }
        if (v instanceof String s) {
            try {
                return s.contains(".") || s.contains("e") || s.contains("E") ? Double.parseDouble(s.strip())
                        : Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                throw new ClassCastException("column '" + columns.names.get(index) + "' holds the text '"
                        + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "', not a number");
            }
        }
        throw new ClassCastException("column '" + columns.names.get(index) + "' holds a BLOB, not a number");
    }

    /** Equal when the columns and the values are equal (BLOBs by content). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && r.columns.names.equals(columns.names) && Arrays.deepEquals(r.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * columns.names.hashCode() + Arrays.deepHashCode(values);
    }

    /** {@code Row{id=1, name=Ada}}; BLOBs show their length only. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Row{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object v = values[i];
            sb.append(columns.names.get(i)).append('=').append(v instanceof byte[] b ? "<blob " + b.length + " bytes>" : v);
        }
        return sb.append('}').toString();
    }
}
