/**
 * Runs a run's appends one at a time, in the order they were asked for, so each decides on the state
 * the one before it left. Plain promise chaining, so deterministic; its microtask timing is part of
 * what stored histories recorded (the next append is scheduled before the caller of the last one
 * resumes past the `finally`), and the replay test of concurrent decisions fails if it changes.
 */
export class AppendLock {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  /** No append is running or waiting. */
  get idle(): boolean {
    return this.pending === 0;
  }

  run<T>(section: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const run = this.tail.then(section);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run.finally(() => {
      this.pending -= 1;
    });
  }
}
