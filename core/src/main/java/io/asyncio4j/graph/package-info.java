/**
 * Who waits for whom, and where: asyncio 3.14's call-graph introspection ({@code capture_call_graph},
 * {@code format_call_graph}, {@code print_call_graph}). {@link io.asyncio4j.graph.CallGraph} captures a
 * {@link io.asyncio4j.graph.FutureCallGraph} for a task or future: its stack as
 * {@link io.asyncio4j.graph.FrameCallGraphEntry}s and the graphs of the tasks awaiting it. The shortcuts
 * {@code Asyncio.captureCallGraph()}, {@code formatCallGraph()} and {@code printCallGraph()} do it for the
 * current task.
 */
package io.asyncio4j.graph;
