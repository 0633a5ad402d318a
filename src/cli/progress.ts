// Progress of a long copy on stderr: a bar redrawn in place, with rate and ETA, on a terminal; elsewhere (CI logs,
// pipes) a plain line at each tenth of the way, so a log is readable and short.

const BAR = 30;

export class Progress {
  private done = 0;
  private readonly started = performance.now();
  private lastDraw = 0;
  private lastTenth = 0;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly tty = stream.isTTY === true,
  ) {}

  /** Items per second so far. */
  get rate(): number {
    const seconds = (performance.now() - this.started) / 1000;
    return seconds > 0 ? this.done / seconds : 0;
  }

  tick(n = 1): void {
    this.done += n;
    if (this.tty) {
      const now = performance.now();
      if (now - this.lastDraw < 100 && this.done < this.total) return;
      this.lastDraw = now;
      this.stream.write(`\r${this.line()}\u001b[K`);
      return;
    }
    const tenth = this.total === 0 ? 10 : Math.floor((this.done * 10) / this.total);
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.stream.write(`${this.line()}\n`);
    }
  }

  /** Ends the bar's line (a terminal) so what follows starts on its own line. */
  finish(): void {
    if (this.tty && this.total > 0) this.stream.write(`\r${this.line()}\u001b[K\n`);
  }

  private line(): string {
    const fraction = this.total === 0 ? 1 : this.done / this.total;
    const rate = this.rate;
    const eta = rate > 0 ? Math.ceil((this.total - this.done) / rate) : undefined;
    const figures = `${this.done}/${this.total} (${Math.floor(fraction * 100)}%), ${rate.toFixed(rate < 10 ? 1 : 0)}/s${eta !== undefined && this.done < this.total ? `, ETA ${duration(eta)}` : ''}`;
    if (!this.tty) return `${this.label}: ${figures}`;
    const filled = Math.round(fraction * BAR);
    return `${this.label} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${figures}`;
  }
}

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m}m${String(seconds % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
