import type { RegistrationFilingKind } from '../filing/filing-kind';
import type { FilingKind } from '../filing/filing-kind';
import type { FieldReason } from '../filing/filing-events';
import type { FilingStage, FilingStatus, ReturnedBy } from '../filing/filing-state';
import type { FilingStatusView } from '../filing/filing-view';
import type { OperatorNature, RegulatedCategory, ServiceType } from '../form/registration-form';
import type { ProvinceCode } from '../provinces';
import type { RegisteredServiceType } from '../registration-number';
import type { ServiceIdentifiers } from '../registry/registry-events';
import type { RecordedEvent } from './event-log.port';

/** Each projection keeps its own rows and checkpoint, so one can be rebuilt without the others. */
export const PROJECTION_NAMES = [
  'filing_summary',
  'bureau_queue',
  'public_registry',
  'sla_dashboard',
  'registry',
] as const;
export type ProjectionName = (typeof PROJECTION_NAMES)[number];

export function isProjectionName(name: string): name is ProjectionName {
  return (PROJECTION_NAMES as readonly string[]).includes(name);
}

// ---- Rows ---------------------------------------------------------------------------------------

/**
 * What a filing row keeps of the filing's kind (`filing-kind.ts`) and of the registration a change,
 * cancellation or new access acts on: public numbers only.
 */
export interface FilingKindColumns {
  kind: FilingKind;
  /** The subject number of the registration acted on (absent for a new registration). */
  targetSubjectNumber?: string;
  /** The service number acted on; absent for a new registration and a subject cancellation. */
  targetServiceNumber?: string;
}

/**
 * One row per filing for lists, queues and `GET /v1/filings/:id`. No personal data: the form is never
 * copied, and the operator's name appears only once the registration is published (it is public from
 * then on). Every field `filingStatusView` shows is kept as it says (see `filingView`).
 */
export interface FilingSummaryRow extends FilingKindColumns {
  filingId: string;
  platformId: string;
  province: ProvinceCode;
  serviceType: ServiceType;
  appName: string;
  status: FilingStatus;
  stage: FilingStage;
  /** The service number (e.g. `粤ICP备2026000123号-1A`) once issued. */
  registrationNumber?: string;
  /** The current review's or SMS window's due time. */
  dueBy?: string;
  overdue: boolean;
  /** metadata.seq of the last event applied (the stream revision). */
  revision: number;
  submittedAt: string;
  /** occurredAt of the last event applied. */
  updatedAt: string;
  operatorName?: string;
  /** A change: what it alters against the registered version (the view's `target.alters`). */
  targetAlters?: { subject: boolean; service: boolean };
  /** The filing that made the registered version a change starts from (the view's `target.baseFilingId`). */
  targetBaseFilingId?: string;
  /** In review: whether the due time was computed for a year whose holidays are not announced yet. */
  provisional?: boolean;
  /** In SMS verification: wrong codes the round still allows. */
  smsAttemptsLeft?: number;
  /** Returned for correction or rejected: the reviewer's reasons. */
  reasons?: string;
  fieldReasons?: readonly FieldReason[];
  returnedBy?: ReturnedBy;
}

/**
 * One row per filing; `queuedAt` is set while the filing waits for its province's bureau (while its
 * status, as `evolve` folds it, is `bureau_review`). No personal data.
 */
export interface BureauQueueRow extends FilingKindColumns {
  filingId: string;
  platformId: string;
  province: ProvinceCode;
  serviceType: ServiceType;
  appName: string;
  /** The filing's status as `evolve` folds it: the queue follows the state machine. */
  status: FilingStatus;
  submittedAt: string;
  /** occurredAt of the last event applied. */
  updatedAt: string;
  /** metadata.seq of the last event applied. */
  revision: number;
  /** When the bureau review started; absent when the filing is not waiting for the bureau. */
  queuedAt?: string;
  /** The bureau review's due time (20 working days), while queued. */
  dueBy?: string;
  overdue: boolean;
}

/**
 * What anyone may look up about an issued registration: what `RegistrationPublished` made public,
 * then what the publications of its change and cancellation filings did to it.
 */
export interface PublicRegistryRow {
  registrationNumber: string;
  /** The current app name: a change filing's publication replaces it. */
  appName: string;
  serviceType: ServiceType;
  operatorName: string;
  province: ProvinceCode;
  /** occurredAt of the publication that made the number public. */
  publishedAt: string;
  status: PublicRegistrationStatus;
  /** China date (YYYY-MM-DD) the cancellation was published; only when cancelled. */
  cancelledOn?: string;
  /** occurredAt of the last change filing's publication. */
  changedAt?: string;
}

export type PublicRegistrationStatus = 'active' | 'cancelled';

/**
 * What the public registry keeps of a filing acting on a registration (change, cancellation, new
 * access) until it is published; a new registration (no kind) keeps nothing.
 */
export interface PublicRegistryFilingRow {
  filingId: string;
  kind: RegistrationFilingKind;
  subjectNumber: string;
  /** Absent: the whole subject (a subject cancellation). */
  serviceNumber?: string;
  /** A change altering the subject (its operator's name shows on each of its registrations). */
  altersSubject: boolean;
}

/** The rows an event of the public registry reads (as earlier events of the batch left them). */
export interface PublicRegistryRowReader {
  filing(filingId: string): PublicRegistryFilingRow | undefined;
  registration(registrationNumber: string): PublicRegistryRow | undefined;
  /** The registrations of the services of `subjectNumber` (`<subjectNumber>-<n>…`). */
  registrationsOf(subjectNumber: string): PublicRegistryRow[];
}

export interface PublicRegistryUpdate {
  filing?: PublicRegistryFilingRow;
  registrations?: PublicRegistryRow[];
}

/** Where a registry row comes from: its registry stream, or (numbers issued before the registry kept them) its filing. */
export type RegistryRowSource = 'registry' | 'filing';

export const REGISTRY_SERVICE_STATUSES = ['active', 'access_withdrawn', 'cancelled'] as const;
export type RegistryServiceStatus = (typeof REGISTRY_SERVICE_STATUSES)[number];

/** A subject (operator) of the registry: public facts only, never its certificate. */
export interface RegistrySubjectRow {
  subjectNumber: string;
  province: ProvinceCode;
  /** Absent only for a subject registered before the registry kept it and holding no service yet. */
  operatorName?: string;
  operatorNature?: OperatorNature;
  status: RegistrySubjectStatus;
  source: RegistryRowSource;
  /** Its subject stream (`registry-subject-<province>-<digest>`); absent for a subject derived from filings. */
  streamId?: string;
  /** China date of its last change (SubjectChanged). */
  changedOn?: string;
  /** China date of its cancellation; only when cancelled. */
  cancelledOn?: string;
  /** Set while it holds no service any more (空壳主体, SubjectLeftWithoutServices): for the bureau. */
  shell?: RegistryShellFlag;
}

export type RegistrySubjectStatus = 'active' | 'cancelled';

export interface RegistryShellFlag {
  /** China date it was flagged. */
  flaggedOn: string;
  /** The service whose cancellation left it without services. */
  lastServiceNumber: string;
}

/**
 * A service of the registry: its current version (`ServiceRegistered`, then each `ServiceChanged`),
 * accesses and status (or, before the registry, what its filing made public).
 */
export interface RegistryServiceRow {
  serviceNumber: string;
  subjectNumber: string;
  /** The n of the subject's service sequence (`-2A` → 2), for ordering a subject's services. */
  sequence: number;
  serviceType: RegisteredServiceType;
  name: string;
  operatorName: string;
  operatorNature?: OperatorNature;
  identifiers: ServiceIdentifiers;
  preApprovalCategories: RegulatedCategory[];
  /** China date (YYYY-MM-DD) of approval (of version 1). */
  approvedOn: string;
  status: RegistryServiceStatus;
  /** The current version: 1 as registered, + 1 per change. */
  version: number;
  /** China date the current version was applied, when it is a change (version ≥ 2). */
  changedOn?: string;
  /** The ISPs giving it access (by name); absent when registered before accesses were kept. */
  accesses?: string[];
  /** China date of the last access withdrawal. */
  accessWithdrawnOn?: string;
  /** China date of its cancellation; only when cancelled. */
  cancelledOn?: string;
  /** The filing that made the current version (absent for an imported service never changed). */
  filingId?: string;
  source: RegistryRowSource;
}

/** One version of a service as the registry kept it, linked to the filing that made it. */
export interface RegistryServiceVersionRow {
  serviceNumber: string;
  version: number;
  name: string;
  identifiers: ServiceIdentifiers;
  preApprovalCategories: RegulatedCategory[];
  operatorName: string;
  /** Absent for an imported service's version 1. */
  filingId?: string;
  /** Version 1: China date of approval. */
  approvedOn?: string;
  /** Later versions: China date the change was applied. */
  changedOn?: string;
}

/**
 * What the registry projection keeps of a filing for when its number is published: the public parts
 * of its latest form, never the form itself.
 */
export interface RegistryFilingRow {
  filingId: string;
  province: ProvinceCode;
  serviceType: RegisteredServiceType;
  operatorNature?: OperatorNature;
  identifiers: ServiceIdentifiers;
  preApprovalCategories: RegulatedCategory[];
  /** Absent: a new registration (the only kind whose publication makes a service row). */
  kind?: RegistrationFilingKind;
}

/** The rows an event of the registry projection reads (as they stand after the batch's earlier events). */
export interface RegistryRowReader {
  filing(filingId: string): RegistryFilingRow | undefined;
  subject(subjectNumber: string): RegistrySubjectRow | undefined;
  service(serviceNumber: string): RegistryServiceRow | undefined;
  /** The subject whose registry stream is `streamId`. */
  subjectOfStream(streamId: string): RegistrySubjectRow | undefined;
  /** Every service of the subject, in no particular order. */
  servicesOf(subjectNumber: string): RegistryServiceRow[];
}

/** The rows an event changes; a service row replaces the service's identifiers too. */
export interface RegistryUpdate {
  filing?: RegistryFilingRow;
  subject?: RegistrySubjectRow;
  service?: RegistryServiceRow;
  /** Other services' rows (a subject's change renames the operator on each). */
  services?: RegistryServiceRow[];
  /** A version of a service, kept as written (the service row holds only the current one). */
  version?: RegistryServiceVersionRow;
}

/**
 * Where a filing stands for the SLA picture: its stage, since when, and whether it is overdue; its
 * kind (and target's numbers, so the row folds on as exactly as the other filing rows).
 */
export interface SlaFilingRow extends FilingKindColumns {
  filingId: string;
  platformId: string;
  province: ProvinceCode;
  status: FilingStatus;
  stage: FilingStage;
  /** occurredAt of the event that moved the filing into its current stage. */
  stageEnteredAt: string;
  dueBy?: string;
  overdue: boolean;
  /** Stage visits finished so far (the next one gets this number). */
  visits: number;
}

/** One finished stay in a stage: how long it took, in working days and in calendar days. */
export interface SlaStageVisit {
  filingId: string;
  visit: number;
  province: ProvinceCode;
  kind: FilingKind;
  stage: FilingStage;
  enteredAt: string;
  leftAt: string;
  workingDays: number;
  calendarDays: number;
  wasOverdue: boolean;
}

export interface SlaUpdate {
  filing: SlaFilingRow;
  /** Set when the event moved the filing to another stage. */
  finishedVisit?: SlaStageVisit;
}

/**
 * The pure functions that turn an event into rows, given to a store by the composition root: the
 * store decides where rows live, the projections what they hold. Each returns undefined (or the row
 * unchanged) for an event it does not follow, and throws for a history it cannot project.
 */
export interface ReadModelProjections {
  filingSummary(current: FilingSummaryRow | undefined, event: RecordedEvent): FilingSummaryRow | undefined;
  bureauQueue(current: BureauQueueRow | undefined, event: RecordedEvent): BureauQueueRow | undefined;
  publicRegistry(rows: PublicRegistryRowReader, event: RecordedEvent): PublicRegistryUpdate | undefined;
  /** With the working-day calendar already bound. */
  sla(current: SlaFilingRow | undefined, event: RecordedEvent): SlaUpdate | undefined;
  registry(rows: RegistryRowReader, event: RecordedEvent): RegistryUpdate | undefined;
}

// ---- Queries ------------------------------------------------------------------------------------

/** The most rows one page may hold. */
export const MAX_PAGE_SIZE = 200;
/** The most rows a public name search returns. */
export const PUBLIC_SEARCH_LIMIT = 50;

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` (with the same filters) for the next page; absent on the last page. */
  nextCursor?: string;
}

/** A cursor the store did not issue for this query. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

export interface ListFilingsQuery {
  status?: FilingStatus;
  stage?: FilingStage;
  kind?: FilingKind;
  province?: string;
  platformId?: string;
  cursor?: string;
  limit: number;
}

export interface BureauQueueQuery {
  province: string;
  /** Only filings of this kind. */
  kind?: FilingKind;
  cursor?: string;
  limit: number;
}

/** A filing waiting in a bureau's queue. */
export type BureauQueueItem = Omit<BureauQueueRow, 'status' | 'queuedAt' | 'dueBy'> & {
  status: 'bureau_review';
  stage: 'bureau_review';
  queuedAt: string;
  dueBy: string;
};

export interface PublicLookup {
  /** Exact service number, e.g. `粤ICP备2026000123号-1A`. */
  number?: string;
  /** Substring of the app name. */
  appName?: string;
  /** Substring of the operator name. */
  operatorName?: string;
}

/**
 * Registry services matching every given criterion, ordered by subject number then sequence. Exact:
 * serviceNumber, subjectNumber, packageName, bundleId, miniProgramId, quickAppPackage, domain (case-
 * folded); `name`: part of the service or operator name, case-folded. No criterion → none.
 */
export interface RegistryLookup {
  serviceNumber?: string;
  subjectNumber?: string;
  name?: string;
  packageName?: string;
  bundleId?: string;
  miniProgramId?: string;
  quickAppPackage?: string;
  domain?: string;
  /** A criterion: services whose number a province issued (any of its abbreviations, 粤ICP备…). */
  province?: ProvinceCode;
  /** Only services in this status. */
  status?: RegistryServiceStatus;
  cursor?: string;
  limit: number;
}

/** What the registry indexes a service by (one key per package name, bundle id, domain…). */
export const REGISTRY_IDENTIFIER_KINDS = [
  'package',
  'bundle',
  'mini_program',
  'quick_app',
  'domain',
] as const;
export type RegistryIdentifierKind = (typeof REGISTRY_IDENTIFIER_KINDS)[number];

/** One identifier: a package name, a bundle id, a mini-program id, a quick-app package or a domain (lower case). */
export interface RegistryIdentifierKey {
  kind: RegistryIdentifierKind;
  value: string;
}

/** A service carrying an identifier asked for. */
export interface RegistryIdentifierMatch extends RegistryIdentifierKey {
  service: RegistryServiceRow;
}

/** What a verdict on an identifier and its display need of a service: no more of its row. */
export type RegistryVerifiedService = Pick<
  RegistryServiceRow,
  'serviceNumber' | 'name' | 'operatorName' | 'status' | 'identifiers'
>;

/** A service carrying an identifier asked for, narrowed to what a verification needs. */
export interface RegistryVerificationMatch extends RegistryIdentifierKey {
  service: RegistryVerifiedService;
}

/** A province's shell subjects (flagged, not cancelled), by subject number. */
export interface ShellSubjectsQuery {
  province: string;
  cursor?: string;
  limit: number;
}

export interface SlaDashboardQuery {
  /** Only this province's filings (a bureau sees its own). */
  province?: string;
  /** Only filings of this kind. */
  kind?: FilingKind;
}

export interface SlaStageFigures {
  stage: FilingStage;
  /** Filings in this stage now. */
  filings: number;
  /** Of those, past their due time. */
  overdue: number;
  /** Finished stays in this stage, the basis of the medians. */
  finishedVisits: number;
  /** Median working days a finished stay took; null with no finished stay. */
  medianWorkingDays: number | null;
  medianCalendarDays: number | null;
}

export interface SlaProvinceFigures {
  province: string;
  stage: FilingStage;
  filings: number;
  overdue: number;
}

/** The figures of one filing kind, as the dashboard gives them for all filings. */
export interface SlaKindFigures {
  kind: FilingKind;
  filings: number;
  open: number;
  overdue: number;
  /** Every stage a filing can wait in, in process order, for filings of this kind. */
  stages: SlaStageFigures[];
}

export interface SlaDashboard {
  province?: string;
  kind?: FilingKind;
  /** Every filing ever submitted (in the province, when filtered). */
  filings: number;
  /** Filings not yet closed. */
  open: number;
  overdue: number;
  /** Every stage a filing can wait in, in process order. */
  stages: SlaStageFigures[];
  /** Filings by province and stage (only pairs that have any). */
  byProvince: SlaProvinceFigures[];
  /** The same figures per filing kind, every kind in `FILING_KINDS` order (zeros when none). */
  byKind: SlaKindFigures[];
}

/** What the HTTP API reads. */
export interface ReadModelQueries {
  getFiling(filingId: string): Promise<FilingSummaryRow | undefined>;
  /**
   * What the filing workflow's status query answers, as of the row's revision, from one primary-key
   * read; undefined while the projector has not seen the filing.
   */
  filingView(filingId: string): Promise<FilingStatusView | undefined>;
  /**
   * Filings matching every given filter, newest submission first: keyset order (submittedAt desc,
   * filingId desc). A row's key never changes, so paging is stable while filings move on.
   * @throws RangeError for a limit outside 1..MAX_PAGE_SIZE; InvalidCursorError.
   */
  listFilings(query: ListFilingsQuery): Promise<Page<FilingSummaryRow>>;
  /**
   * Filings by id, by registration number (exact, or a subject number's services by prefix), or by
   * part of the app or operator name, case-folded; exact matches first, then the newest submissions.
   */
  searchFilings(q: string, limit: number): Promise<FilingSummaryRow[]>;
  /**
   * A province's filings waiting for the bureau: overdue ones first, then by due time ascending,
   * then filingId. @throws RangeError for a limit outside 1..MAX_PAGE_SIZE; InvalidCursorError.
   */
  bureauQueue(query: BureauQueueQuery): Promise<Page<BureauQueueItem>>;
  /** Filings by stage, province and kind, overdue counts and median days per stage (and kind). */
  slaDashboard(query: SlaDashboardQuery): Promise<SlaDashboard>;
  /**
   * Public registrations matching every given criterion (exact number; app and operator name by
   * substring), at most PUBLIC_SEARCH_LIMIT, ordered by registration number. No criterion → none.
   */
  findPublic(lookup: PublicLookup): Promise<PublicRegistryRow[]>;
  /** The registry's subject holding `subjectNumber` (exact). */
  registrySubject(subjectNumber: string): Promise<RegistrySubjectRow | undefined>;
  /**
   * Registry services matching the lookup (see RegistryLookup), keyset-paged.
   * @throws RangeError for a limit outside 1..MAX_PAGE_SIZE; InvalidCursorError.
   */
  findRegistryServices(lookup: RegistryLookup): Promise<Page<RegistryServiceRow>>;
  /**
   * Every service (any status) carrying any of `keys` exactly, one match per key and service, in no
   * particular order; a key given twice matches once. Answers thousands of keys in a few statements.
   */
  servicesByIdentifiers(keys: readonly RegistryIdentifierKey[]): Promise<RegistryIdentifierMatch[]>;
  /**
   * The matches of `servicesByIdentifiers`, each service narrowed to `RegistryVerifiedService`:
   * the verification routes' read, one statement per kind and chunk of keys.
   */
  verificationMatches(keys: readonly RegistryIdentifierKey[]): Promise<RegistryVerificationMatch[]>;
  /** Every version of a service the registry kept, oldest first (none for an unknown number). */
  registryServiceVersions(serviceNumber: string): Promise<RegistryServiceVersionRow[]>;
  /**
   * A province's subjects left without services (shell flag set, not cancelled), by subject number.
   * @throws RangeError for a limit outside 1..MAX_PAGE_SIZE; InvalidCursorError.
   */
  shellSubjects(query: ShellSubjectsQuery): Promise<Page<RegistrySubjectRow>>;
}

// ---- Writing and rebuilding ----------------------------------------------------------------------

export interface ApplyResult {
  /** Events past the checkpoint that this call processed. */
  applied: number;
  /** The checkpoint after the call. */
  checkpoint: number;
}

/**
 * One projection's rows (live, or a rebuild's) and their checkpoint, which change together in one
 * transaction: an event delivered twice (at-least-once) is never applied twice.
 */
export interface ProjectionTarget {
  /** The last log position applied; 0 when nothing has been. */
  checkpoint(): Promise<number>;
  /**
   * Applies, in log order, the events past the checkpoint and moves it to the last one, all or
   * nothing; events at or below the checkpoint are skipped.
   */
  applyBatch(events: readonly RecordedEvent[]): Promise<ApplyResult>;
  /** Moves the checkpoint past positions that hold nothing for this projection (never back). */
  advanceCheckpoint(position: number): Promise<void>;
}

/** Another process is rebuilding the same projection. */
export class RebuildInProgressError extends Error {
  override readonly name = 'RebuildInProgressError';
}

/** A stored row as its backend holds it (column → value), for showing where a rebuild differs. */
export type ReadModelRow = Record<string, string | number | null>;

export interface TableDiff {
  table: string;
  /** Rows the live table has and the rebuilt one lacks (at most the limit asked for). */
  onlyLive: ReadModelRow[];
  /** Rows the rebuilt table has and the live one lacks. */
  onlyRebuilt: ReadModelRow[];
  onlyLiveCount: number;
  onlyRebuiltCount: number;
}

export interface ProjectionDiff {
  projection: ProjectionName;
  identical: boolean;
  /** Rows compared in the live tables. */
  rows: number;
  tables: TableDiff[];
}

/**
 * A projection rebuilt from position 0 into rows of its own while the live ones keep serving; one
 * per projection at a time, across processes. Finishing happens at a log position P in one
 * transaction, and only while neither the rebuild nor the live rows are past P; otherwise nothing
 * changes (a projector elsewhere moved on: read the log again and retry).
 */
export interface ProjectionRebuild {
  /** The rebuild's rows; fill them from the log. */
  readonly target: ProjectionTarget;
  /**
   * Applies `tail` to the rebuild, moves its checkpoint to `position` and makes it the live
   * projection (readers see the old rows or the new ones, never a mix). False: past `position`.
   */
  swapInAt(tail: readonly RecordedEvent[], position: number): Promise<boolean>;
  /**
   * Brings the rebuild and the live rows to `position` with `tail` and compares them row by row.
   * Undefined: past `position`.
   */
  compareAt(
    tail: readonly RecordedEvent[],
    position: number,
    /** Differing rows returned per table and side. */
    sample: number,
  ): Promise<ProjectionDiff | undefined>;
  /** Drops the rebuild's rows, if not swapped in; safe to call more than once. */
  discard(): Promise<void>;
}

/** What the projector and rebuilds write. */
export interface ProjectionStore {
  /** The live rows of a projection. */
  live(name: ProjectionName): ProjectionTarget;
  /** The lowest checkpoint of all projections: everything up to it is in every read model. */
  lowestCheckpoint(): Promise<number>;
  /** Empties the projection's rows and checkpoint in one transaction, so it replays from position 0. */
  reset(name: ProjectionName): Promise<void>;
  /** @throws RebuildInProgressError when another process is rebuilding `name`. */
  openRebuild(name: ProjectionName): Promise<ProjectionRebuild>;
}

/** The read models: SQLite embedded, a second backend beside it in `infra/read-models/`. */
export interface ReadModelStore extends ReadModelQueries, ProjectionStore {
  /** Where the rows live, free of credentials. */
  readonly description: string;
  close(): Promise<void>;
}
