/**
 * A small Prometheus registry: request counts by route, method and status, and a latency
 * histogram by route. Per process; scrape each server.
 */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export class Metrics {
  readonly #requests = new Map<string, number>();
  readonly #latency = new Map<string, Histogram>();
  readonly #started = Date.now();

  observe(method: string, route: string, status: number, seconds: number) {
    const key = `method="${method}",route="${escapeLabel(route)}",status="${status}"`;
    this.#requests.set(key, (this.#requests.get(key) ?? 0) + 1);
    const hkey = `method="${method}",route="${escapeLabel(route)}"`;
    let h = this.#latency.get(hkey);
    if (!h) {
      h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.#latency.set(hkey, h);
    }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.counts[i]!++;
    h.sum += seconds;
    h.count++;
  }

  render(): string {
    const lines: string[] = [];
    lines.push('# HELP estatedesk_http_requests_total HTTP requests answered, by route and status.');
    lines.push('# TYPE estatedesk_http_requests_total counter');
    for (const [labels, n] of this.#requests) lines.push(`estatedesk_http_requests_total{${labels}} ${n}`);
    lines.push('# HELP estatedesk_http_errors_total HTTP requests answered with a 5xx status.');
    lines.push('# TYPE estatedesk_http_errors_total counter');
    let errors = 0;
    for (const [labels, n] of this.#requests) if (/status="5\d\d"/.test(labels)) errors += n;
    lines.push(`estatedesk_http_errors_total ${errors}`);
    lines.push('# HELP estatedesk_http_request_duration_seconds Time to answer, by route.');
    lines.push('# TYPE estatedesk_http_request_duration_seconds histogram');
    for (const [labels, h] of this.#latency) {
      BUCKETS.forEach((b, i) => {
        lines.push(`estatedesk_http_request_duration_seconds_bucket{${labels},le="${b}"} ${h.counts[i]}`);
      });
      lines.push(`estatedesk_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`);
      lines.push(`estatedesk_http_request_duration_seconds_sum{${labels}} ${h.sum}`);
      lines.push(`estatedesk_http_request_duration_seconds_count{${labels}} ${h.count}`);
    }
    lines.push('# HELP estatedesk_process_uptime_seconds Seconds since this server started.');
    lines.push('# TYPE estatedesk_process_uptime_seconds gauge');
    lines.push(`estatedesk_process_uptime_seconds ${(Date.now() - this.#started) / 1000}`);
    return `${lines.join('\n')}\n`;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}
