// Request ids, structured JSON logs and Prometheus metrics: one middleware, one registry of counters.
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { isFinal } from './final-response.js';
import { requestHeader } from './node-request.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  log(level: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>): void;
  /** Whether `log` at this level writes anything (so callers can skip building the fields). */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean;
}

/** One JSON object per line on stdout (errors on stderr), as log shippers expect. */
export function jsonLogger(level: LogLevel): Logger {
  return {
    enabled: (at) => LEVELS[at] >= LEVELS[level],
    log(at, message, fields = {}) {
      if (LEVELS[at] < LEVELS[level]) return;
      const line = JSON.stringify({ time: new Date().toISOString(), level: at, message, ...fields });
      (at === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
    },
  };
}

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Counters and a latency histogram by route, method and status, in Prometheus text format. */
export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, { buckets: number[]; sum: number; count: number }>();
  /** Gauges read at scrape time (schemas, subjects, cache figures). */
  private readonly gauges: (() => Promise<[name: string, help: string, value: number][]>)[] = [];

  /** Label strings by route, method (and status), built once: observe runs on every request. */
  private readonly labels = new Map<string, string>();

  private label(route: string, method: string, status?: number): string {
    const cacheKey = `${route}\u0000${method}\u0000${status ?? ''}`;
    let label = this.labels.get(cacheKey);
    if (!label) {
      label = `route="${route.replace(/["\\\n]/g, '_')}",method="${method}"${status === undefined ? '' : `,status="${status}"`}`;
      this.labels.set(cacheKey, label);
    }
    return label;
  }

  observe(route: string, method: string, status: number, seconds: number): void {
    const key = this.label(route, method, status);
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const lkey = this.label(route, method);
    let h = this.latency.get(lkey);
    if (!h) this.latency.set(lkey, (h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h!.buckets[i]!++;
    });
    h.sum += seconds;
    h.count++;
  }

  addGauges(read: () => Promise<[name: string, help: string, value: number][]>): void {
    this.gauges.push(read);
  }

  async render(): Promise<string> {
    const out: string[] = [
      '# HELP accord_http_requests_total HTTP requests answered, by route, method and status.',
      '# TYPE accord_http_requests_total counter',
      ...[...this.requests].map(([k, v]) => `accord_http_requests_total{${k}} ${v}`),
      '# HELP accord_http_request_duration_seconds Time to answer, by route and method.',
      '# TYPE accord_http_request_duration_seconds histogram',
    ];
    for (const [k, h] of this.latency) {
      BUCKETS.forEach((b, i) => out.push(`accord_http_request_duration_seconds_bucket{${k},le="${b}"} ${h.buckets[i]}`));
      out.push(`accord_http_request_duration_seconds_bucket{${k},le="+Inf"} ${h.count}`);
      out.push(`accord_http_request_duration_seconds_sum{${k}} ${h.sum}`, `accord_http_request_duration_seconds_count{${k}} ${h.count}`);
    }
    for (const read of this.gauges) {
      for (const [name, help, value] of await read()) out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
    }
    return `${out.join('\n')}\n`;
  }
}

/** Gives every request an id (kept from `X-Request-Id` when sent), times it, counts it and logs it. */
export function observe(metrics: Metrics, logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const requestId = requestHeader(c, 'x-request-id')?.slice(0, 100) || randomUUID();
    c.set('requestId', requestId);
    await next();
    const seconds = (performance.now() - started) / 1000;
    // The matched pattern keeps the label set small; unmatched paths share one label.
    const route = c.res.status === 404 && c.req.routePath === '/*' ? 'unmatched' : c.req.routePath;
    metrics.observe(route, c.req.method, c.res.status, seconds);
    if (!isFinal(c.res)) c.res.headers.set('x-request-id', requestId);
    const level = c.res.status >= 500 ? 'error' : 'info';
    if (!logger.enabled(level)) return;
    logger.log(level, 'request', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      route,
      status: c.res.status,
      ms: Math.round(seconds * 1000 * 10) / 10,
    });
  };
}
