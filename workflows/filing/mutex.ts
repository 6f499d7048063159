/** Serialises async sections inside one workflow run (deterministic: plain promise chaining). */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  get idle(): boolean {
    return this.pending === 0;
  }

  runExclusive<T>(section: () => Promise<T>): Promise<T> {
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
