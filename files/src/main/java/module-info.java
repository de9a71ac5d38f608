/**
 * aiofiles-style file access for asyncio4j tasks: {@link io.asyncio4j.files.AsyncFiles} reads, writes,
 * atomically replaces and streams files while the calling task waits and other tasks run.
 */
module io.asyncio4j.files {
    requires transitive io.asyncio4j;
    exports io.asyncio4j.files;
}
