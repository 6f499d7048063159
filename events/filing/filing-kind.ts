/**
 * What a filing asks for. A new registration gets numbers; the others act on a registration that
 * holds them: a change (of the subject, of a service, or both), a cancellation (of one service or of
 * the whole subject) and a new access (another ISP for a service).
 */
export const FILING_KINDS = ['new_registration', 'change', 'cancellation', 'new_access'] as const;
export type FilingKind = (typeof FILING_KINDS)[number];

/** The kinds that act on an existing registration (recorded in FilingSubmitted; absent = new). */
export type RegistrationFilingKind = Exclude<FilingKind, 'new_registration'>;

/** The registration a change, cancellation or new access acts on, as resolved at submission. */
export interface FilingTarget {
  readonly subjectNumber: string;
  /** Absent: the whole subject (a subject cancellation). */
  readonly serviceNumber?: string;
  /** A change: what it alters against the registered version (from the difference at submission). */
  readonly alters?: { readonly subject: boolean; readonly service: boolean };
  /** The filing that made the registered version the form starts from; absent for an imported one. */
  readonly baseFilingId?: string;
}

/** A filing's target as a read-model row keeps it, column by column. */
export interface FilingTargetColumns {
  readonly targetSubjectNumber?: string;
  readonly targetServiceNumber?: string;
  readonly targetAlters?: FilingTarget['alters'];
  readonly targetBaseFilingId?: string;
}

/** The target a row keeps: its numbers, and a change's `alters` and base filing; undefined when none. */
export function targetOfColumns(row: FilingTargetColumns): FilingTarget | undefined {
  if (row.targetSubjectNumber === undefined) return undefined;
  return {
    subjectNumber: row.targetSubjectNumber,
    ...(row.targetServiceNumber !== undefined && { serviceNumber: row.targetServiceNumber }),
    ...(row.targetAlters && { alters: row.targetAlters }),
    ...(row.targetBaseFilingId !== undefined && { baseFilingId: row.targetBaseFilingId }),
  };
}

export function isFilingKind(value: unknown): value is FilingKind {
  return typeof value === 'string' && (FILING_KINDS as readonly string[]).includes(value);
}
