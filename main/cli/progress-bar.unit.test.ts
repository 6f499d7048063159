import { ProgressBar, renderProgress } from './progress-bar';

describe('progress bar', () => {
  it('shows the fraction of the log, events, events/s and the remaining time', () => {
    const line = renderProgress({
      label: 'rebuild filing_summary',
      position: 250,
      head: 1000,
      events: 5000,
      elapsedMs: 2000,
    });
    expect(line).toBe(
      'rebuild filing_summary [######------------------]   25%  5,000 events  2,500 events/s  ETA 0:06',
    );
  });

  it('is full with no ETA once the head is reached, and on an empty log', () => {
    expect(renderProgress({ label: 'x', position: 10, head: 10, events: 10, elapsedMs: 1000 })).toContain(
      '[########################]  100%',
    );
    expect(renderProgress({ label: 'x', position: 0, head: 0, events: 0, elapsedMs: 0 })).toContain(
      'ETA 0:00',
    );
  });

  it('redraws one line on a terminal and prints a line now and then in a log', () => {
    let now = 0;
    const terminal: string[] = [];
    const bar = new ProgressBar('t', {
      write: (text) => terminal.push(text),
      interactive: true,
      now: () => now,
    });
    now = 1000;
    bar.update({ position: 1, head: 2, events: 1 });
    bar.finish();
    expect(terminal[0]?.startsWith('\rt [')).toBe(true);
    expect(terminal.at(-1)).toMatch(/100%.*\n$/);

    const log: string[] = [];
    const quiet = new ProgressBar('l', {
      write: (text) => log.push(text),
      interactive: false,
      now: () => now,
      lineIntervalMs: 2000,
    });
    for (let step = 1; step <= 10; step += 1) {
      now += 500;
      quiet.update({ position: step, head: 10, events: step });
    }
    quiet.finish();
    expect(log.every((line) => line.endsWith('\n') && !line.includes('\r'))).toBe(true);
    expect(log.length).toBe(3); // at 2 s, 4 s, then the final line
  });
});
