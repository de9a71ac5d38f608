/**
 * The {@code asyncio4j} command: {@link io.asyncio4j.cli.Main} and its sub-commands {@code fetch},
 * {@code demo} and {@code serve}, built with picocli. The package is exported only so that picocli can read
 * the commands' annotations; it is an application, not a library API. See {@code docs/cli.md} in the
 * repository for how to run it.
 */
package io.asyncio4j.cli;
