/**
 * Files for tasks (Python's aiofiles): {@link io.asyncio4j.files.AsyncFiles} for whole-file operations and
 * {@link io.asyncio4j.files.AsyncFiles#lines lines}, {@link io.asyncio4j.files.AsyncFile} for an open file.
 * Every blocking call runs on one small JVM-wide pool of platform threads, {@code asyncio4j-files-N}.
 */
package io.asyncio4j.files;
