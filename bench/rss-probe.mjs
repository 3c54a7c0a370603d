// Preloaded into the server a benchmark measures (`node --import bench/rss-probe.mjs …`): every
// 100 ms the server reports its own resident set size (process.memoryUsage.rss()) to the parent
// over the IPC channel, so the figure is the server's alone — not the benchmark's, nor the
// generator's. Nothing else of the server changes: the timer and the channel never keep it alive.
if (typeof process.send === 'function') {
  let count = 0;
  const report = () => {
    if (!process.connected) return;
    // every 10th report also says where the memory is (the heap, buffers outside it)
    const detail = ++count % 10 === 0 ? process.memoryUsage() : null;
    process.send({
      rss: process.memoryUsage.rss(),
      at: Date.now(),
      ...(detail
        ? { heapUsed: detail.heapUsed, heapTotal: detail.heapTotal, external: detail.external }
        : {}),
    });
  };
  const timer = setInterval(report, 100);
  timer.unref();
  process.channel?.unref();
  report();
}
