export interface ProgressSnapshot {
  label: string;
  /** Log position reached, and the log's head: the bar is position / head. */
  position: number;
  head: number;
  /** Items (events) processed so far. */
  events: number;
  elapsedMs: number;
  /** What the items are called; default `events`. */
  unit?: string;
}

const BAR_WIDTH = 24;

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const whole = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(whole / 60);
  const hours = Math.floor(minutes / 60);
  const mm = String(minutes % 60).padStart(hours ? 2 : 1, '0');
  const ss = String(whole % 60).padStart(2, '0');
  return hours ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** One line: `label [#######-----]  58%  12,345 events  8,901 events/s  ETA 0:03`. Pure. */
export function renderProgress(snapshot: ProgressSnapshot): string {
  const fraction = snapshot.head > 0 ? Math.min(1, snapshot.position / snapshot.head) : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const seconds = snapshot.elapsedMs / 1000;
  const rate = seconds > 0 ? snapshot.events / seconds : 0;
  const eta = fraction > 0 ? (seconds * (1 - fraction)) / fraction : Number.POSITIVE_INFINITY;
  return [
    `${snapshot.label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`,
    `${String(Math.floor(fraction * 100)).padStart(3)}%`,
    `${snapshot.events.toLocaleString('en-US')} ${snapshot.unit ?? 'events'}`,
    `${Math.round(rate).toLocaleString('en-US')} ${snapshot.unit ?? 'events'}/s`,
    `ETA ${fraction >= 1 ? '0:00' : clock(eta)}`,
  ].join('  ');
}

export interface ProgressBarOptions {
  /** Writes text as is (no newline added). */
  write(text: string): void;
  /** Redraw one line in place (a terminal) or print a line now and then (a log). */
  interactive: boolean;
  /** Least time between two printed lines when not interactive; default 2 s. */
  lineIntervalMs?: number;
  now?: () => number;
  /** What the items counted are called; default `events`. */
  unit?: string;
}

/** A progress bar on stderr: redrawn in place on a terminal, a line every few seconds in a log. */
export class ProgressBar {
  private readonly startedAt: number;
  private lastLineAt: number;
  private last?: ProgressSnapshot;

  constructor(
    private readonly label: string,
    private readonly options: ProgressBarOptions,
  ) {
    this.startedAt = this.now();
    this.lastLineAt = this.startedAt;
  }

  update(progress: { position: number; head: number; events: number }): void {
    const at = this.now();
    this.last = { label: this.label, unit: this.options.unit, ...progress, elapsedMs: at - this.startedAt };
    if (this.options.interactive) {
      this.options.write(`\r${renderProgress(this.last)}\u001b[K`);
    } else if (at - this.lastLineAt >= (this.options.lineIntervalMs ?? 2_000)) {
      this.lastLineAt = at;
      this.options.write(`${renderProgress(this.last)}\n`);
    }
  }

  /** Prints the final state and ends the line. */
  finish(): void {
    if (!this.last) return;
    const final = { ...this.last, position: this.last.head, elapsedMs: this.now() - this.startedAt };
    this.options.write(
      `${this.options.interactive ? '\r' : ''}${renderProgress(final)}${this.options.interactive ? '\u001b[K' : ''}\n`,
    );
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
