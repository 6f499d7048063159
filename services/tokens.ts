/**
 * Injection tokens: what services need from outside, bound to adapters by the composition roots in
 * `main/`. Services depend on these and on the port types they name, never on adapter classes.
 */
export const EVENT_LOG = Symbol('EventLog');
export const TEMPORAL_CONNECTION = Symbol('TemporalConnection');
export const TEMPORAL_CLIENT = Symbol('TemporalClient');
/** `TemporalTarget`: where the Temporal client points and which task queue filings run on. */
export const TEMPORAL_TARGET = Symbol('TemporalTarget');
/** The event log's location as it may be shown (credentials redacted). */
export const EVENT_LOG_LOCATION = Symbol('EventLogLocation');
export const IDEMPOTENCY_KEYS = Symbol('IdempotencyKeys');
/** `SmsAnswerSealer`: seals applicants' answers for the workflow; the key stays with the provider. */
export const SMS_ANSWER_SEALER = Symbol('SmsAnswerSealer');
export const READ_MODELS = Symbol('ReadModelStore');
/** The `ProjectionLease` an in-process projector must hold to apply events (absent: no lease needed). */
export const PROJECTION_LEASE = Symbol('ProjectionLease');
/** `ProjectorStatusSource`: what this process's projector is doing, for /health and /readyz. */
export const PROJECTOR_STATUS = Symbol('ProjectorStatus');
/** The `WorkingDayCalendar` deadlines are computed with. */
export const WORKING_DAY_CALENDAR = Symbol('WorkingDayCalendar');
/** The `TreeHeadSigner` (services/transparency/tree-head.ts) that signs the transparency log's heads. */
export const TREE_HEAD_SIGNER = Symbol('TreeHeadSigner');
/** The `WorkingDayDataset` behind that calendar (the console shows working days left). */
export const WORKING_DAY_DATASET = Symbol('WorkingDayDataset');

export interface TemporalTarget {
  address: string;
  namespace: string;
  /** `embedded`: a dev server this system started; `cluster`: one it was pointed at. */
  mode: string;
  taskQueue: string;
}

export interface SmsAnswerSealer {
  /** Seals an answer so that only the verification activity can open it. */
  seal(answer: { code: string; idLast6: string }): string;
  /** HMAC-SHA256 (hex) of the parts under the same key: an id derived from an answer that reveals none of it. */
  keyedDigest(parts: readonly string[]): string;
}
/** `ComplianceStore` (events/ports/compliance-store.port.ts): the parties' inventories and the sweeps. */
export const COMPLIANCE_STORE = Symbol('ComplianceStore');
/** `InventoryReporter`: checks, records and stores a party's inventory report. */
export const INVENTORY_REPORTER = Symbol('InventoryReporter');
