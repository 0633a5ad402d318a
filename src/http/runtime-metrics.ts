// The process and Node runtime figures every Prometheus scrape of a Node service is expected to carry, named as the
// Prometheus client libraries name them (process_*, nodejs_*), so existing dashboards and alerts apply unchanged.
import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';

const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};
const GC_BUCKETS = [0.001, 0.01, 0.1, 1, 2, 5];

export interface RuntimeMetrics {
  render(): string[];
}

let shared: RuntimeMetrics | undefined;

/**
 * Watches the event loop and garbage collection (both cheap: sampled by Node itself) and renders on scrape; one
 * watcher per process, however many apps it builds.
 */
export function runtimeMetrics(): RuntimeMetrics {
  return (shared ??= watchRuntime());
}

function watchRuntime(): RuntimeMetrics {
  const started = Date.now() / 1000 - process.uptime();
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const gc = new Map<string, { buckets: number[]; sum: number; count: number }>();
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
      const kind = GC_KINDS[entry.detail?.kind ?? -1] ?? 'other';
      let series = gc.get(kind);
      if (!series) gc.set(kind, (series = { buckets: GC_BUCKETS.map(() => 0), sum: 0, count: 0 }));
      const seconds = entry.duration / 1000;
      GC_BUCKETS.forEach((b, i) => seconds <= b && series.buckets[i]!++);
      series.sum += seconds;
      series.count++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });

  const one = (name: string, type: 'gauge' | 'counter', help: string, value: number) => [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`];
  return {
    render() {
      const memory = process.memoryUsage();
      const cpu = process.cpuUsage();
      const heap = getHeapStatistics();
      const ns = (n: number) => (Number.isFinite(n) ? n / 1e9 : 0);
      const lines = [
        ...one('process_cpu_user_seconds_total', 'counter', 'User CPU time spent, in seconds.', cpu.user / 1e6),
        ...one('process_cpu_system_seconds_total', 'counter', 'System CPU time spent, in seconds.', cpu.system / 1e6),
        ...one('process_cpu_seconds_total', 'counter', 'User and system CPU time spent, in seconds.', (cpu.user + cpu.system) / 1e6),
        ...one('process_resident_memory_bytes', 'gauge', 'Resident memory size, in bytes.', memory.rss),
        ...one('process_start_time_seconds', 'gauge', 'Start time of the process since the Unix epoch, in seconds.', Math.round(started)),
        ...one('nodejs_heap_size_total_bytes', 'gauge', 'V8 heap size, in bytes.', memory.heapTotal),
        ...one('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap used, in bytes.', memory.heapUsed),
        ...one('nodejs_heap_size_limit_bytes', 'gauge', 'The most V8 heap this process may use, in bytes.', heap.heap_size_limit),
        ...one('nodejs_external_memory_bytes', 'gauge', 'Memory of C++ objects bound to JavaScript objects (buffers, WebAssembly), in bytes.', memory.external),
        ...one('nodejs_eventloop_lag_mean_seconds', 'gauge', 'Mean event-loop delay since start, in seconds.', ns(delay.mean)),
        ...one('nodejs_eventloop_lag_p50_seconds', 'gauge', 'Median event-loop delay since start, in seconds.', ns(delay.percentile(50))),
        ...one('nodejs_eventloop_lag_p99_seconds', 'gauge', '99th percentile event-loop delay since start, in seconds.', ns(delay.percentile(99))),
        ...one('nodejs_eventloop_lag_max_seconds', 'gauge', 'Longest event-loop delay since start, in seconds.', ns(delay.max)),
        '# HELP nodejs_gc_duration_seconds Garbage collection pauses, by kind, in seconds.',
        '# TYPE nodejs_gc_duration_seconds histogram',
      ];
      for (const [kind, series] of gc) {
        GC_BUCKETS.forEach((b, i) => lines.push(`nodejs_gc_duration_seconds_bucket{kind="${kind}",le="${b}"} ${series.buckets[i]}`));
        lines.push(
          `nodejs_gc_duration_seconds_bucket{kind="${kind}",le="+Inf"} ${series.count}`,
          `nodejs_gc_duration_seconds_sum{kind="${kind}"} ${series.sum}`,
          `nodejs_gc_duration_seconds_count{kind="${kind}"} ${series.count}`,
        );
      }
      return lines;
    },
  };
}
