// Request ids, structured JSON logs and Prometheus metrics: one middleware, one registry of counters.
import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { isFinal } from './final-response.js';
import { requestHeader } from '../node-request.js';
import { runtimeMetrics } from './runtime-metrics.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  log(level: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>): void;
  /** Whether `log` at this level writes anything (so callers can skip building the fields). */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean;
}

/**
 * One JSON object per line on stdout (errors on stderr), as log shippers expect; on a terminal the same fields in a
 * form a person reads: `12:04:05.123 INFO  message key=value`.
 */
export function jsonLogger(level: LogLevel): Logger {
  return {
    enabled: (at) => LEVELS[at] >= LEVELS[level],
    log(at, message, fields = {}) {
      if (LEVELS[at] < LEVELS[level]) return;
      const stream = at === 'error' ? process.stderr : process.stdout;
      const time = new Date().toISOString();
      stream.write(`${stream.isTTY ? readableLine(time, at, message, fields) : JSON.stringify({ time, level: at, message, ...fields })}\n`);
    },
  };
}

function readableLine(time: string, level: string, message: string, fields: Record<string, unknown>): string {
  const rest = Object.entries(fields).map(([key, value]) => `${key}=${typeof value === 'string' && !/\s|"/.test(value) ? value : JSON.stringify(value)}`);
  return [time.slice(11, 23), level.toUpperCase().padEnd(5), message, ...rest].join(' ');
}

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** One route and method: its latency histogram, and its request count per status. */
interface Series {
  label: string;
  buckets: number[];
  sum: number;
  count: number;
  statuses: Map<number, { label: string; count: number }>;
}

const label = (route: string, method: string) => `route="${route.replace(/["\\\n]/g, '_')}",method="${method}"`;

/** A figure read at scrape time; a counter's name ends in `_total`, as Prometheus expects. */
export type ScrapedFigure = [name: string, help: string, value: number, type?: 'gauge' | 'counter'];

/** Counters and a latency histogram by route, method and status, in Prometheus text format. */
export class Metrics {
  /** By route, then method: observe runs on every request, so no label string is built after the first. */
  private readonly series = new Map<string, Map<string, Series>>();
  /** Counters of events other than requests (refused credentials), by name, then label set. */
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  /** Figures read at scrape time (schemas, subjects, cache figures): gauges, or counters kept elsewhere. */
  private readonly gauges: (() => Promise<ScrapedFigure[]>)[] = [];
  /** The process and the Node runtime: memory, CPU, event-loop delay, garbage collection. */
  private readonly runtime = runtimeMetrics();

  observe(route: string, method: string, status: number, seconds: number): void {
    let byMethod = this.series.get(route);
    if (!byMethod) this.series.set(route, (byMethod = new Map()));
    let series = byMethod.get(method);
    if (!series) {
      series = { label: label(route, method), buckets: BUCKETS.map(() => 0), sum: 0, count: 0, statuses: new Map() };
      byMethod.set(method, series);
    }
    let byStatus = series.statuses.get(status);
    if (!byStatus) series.statuses.set(status, (byStatus = { label: `${series.label},status="${status}"`, count: 0 }));
    byStatus.count++;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) series.buckets[i]!++;
    series.sum += seconds;
    series.count++;
  }

  /** Adds one to a counter; `labels` is Prometheus label text (`scheme="basic"`), built by the caller from fixed values only. */
  count(name: string, help: string, labels: string): void {
    let counter = this.counters.get(name);
    if (!counter) this.counters.set(name, (counter = { help, values: new Map() }));
    counter.values.set(labels, (counter.values.get(labels) ?? 0) + 1);
  }

  addGauges(read: () => Promise<ScrapedFigure[]>): void {
    this.gauges.push(read);
  }

  async render(): Promise<string> {
    const all = [...this.series.values()].flatMap((byMethod) => [...byMethod.values()]);
    const out: string[] = [
      '# HELP accord_http_requests_total HTTP requests answered, by route, method and status.',
      '# TYPE accord_http_requests_total counter',
      ...all.flatMap((series) => [...series.statuses.values()].map((s) => `accord_http_requests_total{${s.label}} ${s.count}`)),
      '# HELP accord_http_request_duration_seconds Time to answer, by route and method.',
      '# TYPE accord_http_request_duration_seconds histogram',
    ];
    for (const h of all) {
      const k = h.label;
      BUCKETS.forEach((b, i) => out.push(`accord_http_request_duration_seconds_bucket{${k},le="${b}"} ${h.buckets[i]}`));
      out.push(`accord_http_request_duration_seconds_bucket{${k},le="+Inf"} ${h.count}`);
      out.push(`accord_http_request_duration_seconds_sum{${k}} ${h.sum}`, `accord_http_request_duration_seconds_count{${k}} ${h.count}`);
    }
    for (const [name, counter] of this.counters) {
      out.push(`# HELP ${name} ${counter.help}`, `# TYPE ${name} counter`, ...[...counter.values].map(([labels, n]) => `${name}{${labels}} ${n}`));
    }
    for (const read of this.gauges) {
      for (const [name, help, value, type = 'gauge'] of await read()) out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${value}`);
    }
    out.push(...this.runtime.render());
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
    const route = routeLabel(c);
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

/**
 * The matched pattern, which keeps the label set small. A request refused before its route ran (401, 403, 413 from a
 * middleware) is labelled with the route that would have answered it, not the middleware's `/*`; a path no route
 * takes shares one label, `unmatched`.
 */
function routeLabel(c: Context): string {
  if (c.req.routePath !== '/*') return c.req.routePath;
  const answering = matchedRoutes(c).find((route) => route.method !== 'ALL');
  if (answering) return answering.path;
  return c.res.status === 404 ? 'unmatched' : c.req.routePath;
}
