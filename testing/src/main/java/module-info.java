module io.asyncio4j.testing {
    requires transitive io.asyncio4j;
    requires transitive org.junit.jupiter.api;
    exports io.asyncio4j.testing;
}
