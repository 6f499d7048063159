/**
 * Within a batch (one transaction) each filing's row is read once and written once, at `flush`,
 * however many of its events the batch holds: a rebuild reads ~9 events per filing, and writing the
 * row back after every one of them was most of its time.
 */
/** The rows of one batch by filing id (`undefined`: no row yet), and which of them changed. */
export class BatchRows<Row> {
  private readonly rows = new Map<string, Row | undefined>();
  private readonly changed = new Set<string>();

  constructor(
    private readonly load: (filingId: string) => Row | undefined,
    private readonly store: (row: Row) => void,
  ) {}

  get(filingId: string): Row | undefined {
    if (!this.rows.has(filingId)) this.rows.set(filingId, this.load(filingId));
    return this.rows.get(filingId);
  }

  /** The rows read or set in this batch so far (not those of earlier batches never read in it). */
  cached(): Row[] {
    return [...this.rows.values()].filter((row): row is Row => row !== undefined);
  }

  set(filingId: string, row: Row): void {
    this.rows.set(filingId, row);
    this.changed.add(filingId);
  }

  flush(): void {
    for (const filingId of this.changed) {
      const row = this.rows.get(filingId);
      if (row !== undefined) this.store(row);
    }
    this.discard();
  }

  discard(): void {
    this.rows.clear();
    this.changed.clear();
  }
}
