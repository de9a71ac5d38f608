/**
 * aiosqlite-style SQLite access for asyncio4j tasks: {@link io.asyncio4j.sqlite.Database}. Built on xerial's
 * sqlite-jdbc, whose JNI library needs native access: run with {@code --enable-native-access=org.xerial.sqlitejdbc}
 * on the module path, or {@code --enable-native-access=ALL-UNNAMED} on the class path, so the JDK prints no
 * warning.
 */
module io.asyncio4j.sqlite {
    requires transitive io.asyncio4j;
    requires org.xerial.sqlitejdbc;
    exports io.asyncio4j.sqlite;
}
