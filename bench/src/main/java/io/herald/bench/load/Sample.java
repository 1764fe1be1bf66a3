package io.herald.bench.load;

/**
 * One sample of a run with {@code --sample-seconds}: the window's orders, the process's memory and the node's lag,
 * read when the window closed.
 */
record Sample(OrderWindow orders, MemoryFigures memory, NodeLag lag) {
}
