import type { ServiceVersion } from '../../events/registry/service';
import type { ActorRole } from '../../events/filing/actor';
import type { FilingStage, FilingStatus } from '../../events/filing/filing-state';
import type { RegistryRecorder } from '../../events/registry/registry-envelope';
import type { RegistryStreamKind } from '../../events/registry/registry-transitions';

/** Every rule a replay checks; a finding names one, with the seq it was found at. */
export const AUDIT_RULES = [
  // The chain: seq continuity, ids, hashes (events/filing/envelope.ts).
  'seq_gap',
  'seq_order',
  'id_mismatch',
  'filing_id_mismatch',
  'prev_hash_mismatch',
  'hash_mismatch',
  // The fold: what may follow what, and who may record it.
  'unreadable_event',
  'illegal_transition',
  'after_terminal',
  'actor_role',
  'actor_scope',
  // Time.
  'time_order',
  'deadline_mismatch',
  'overdue_early',
  'overdue_due_mismatch',
  'overdue_missing',
  'sms_window',
  'sms_expired_early',
  'sms_attempts',
  // Registry streams (events/registry/registry-envelope.ts, registry-transitions.ts).
  'stream_id_mismatch',
  'unsealed_after_sealed',
  'recorder_role',
  'duplicate_number',
  'number_mismatch',
  'stream_mismatch',
  // Against the workflow's own history in Temporal.
  'temporal_unrecorded_append',
  'temporal_status_mismatch',
] as const;
export type AuditRule = (typeof AUDIT_RULES)[number];

export interface AuditFinding {
  /** The seq (stream revision) of the event the finding is about; -1 for the stream as a whole. */
  seq: number;
  rule: AuditRule;
  /** Plain words, free of personal data. */
  message: string;
}

export interface RecordedActor {
  role: ActorRole;
  id: string;
  platformId?: string;
  province?: string;
}

export interface TimelineEntry {
  seq: number;
  occurredAt: string;
  type: string;
  actor: RecordedActor;
  /** The filing's status and stage after the event. */
  status: FilingStatus;
  stage: FilingStage;
  /** Working days from entering the stage the event happened in to the event. */
  workingDaysInStage: number;
  /** Whether the event's own link in the hash chain holds. */
  chainIntact: boolean;
  /**
   * false for an event the replay could not apply (unreadable, illegal, after the filing closed, or
   * after an earlier event could not be applied); status and stage are then those before it.
   */
  applied: boolean;
}

/** A stay in one stage, for the SLA picture: when it began and ended, and what was due. */
export interface StageSpan {
  stage: FilingStage;
  enteredAt: string;
  /** Absent while the filing is still in the stage. */
  leftAt?: string;
  /** The review's or SMS window's due time, when the stage has one. */
  dueAt?: string;
  workingDays: number;
  overdue: boolean;
}

export interface TemporalCrossCheck {
  /** false when Temporal could not be asked; `reason` says why. */
  checked: boolean;
  reason?: string;
  /** The workflow's execution status and, when it answers, its status query. */
  workflowExecution?: string;
  workflowStatus?: string;
  /** Completed append activities compared with the log. */
  appendsCompared?: number;
}

export interface AuditReport {
  filingId: string;
  verdict: 'verified' | 'findings';
  /** Events read from the log. */
  events: number;
  /** The folded status, when the history could be folded. */
  status?: FilingStatus;
  platformId?: string;
  province?: string;
  findings: AuditFinding[];
  timeline: TimelineEntry[];
  stages: StageSpan[];
  temporal: TemporalCrossCheck;
}

export interface RegistryTimelineEntry {
  seq: number;
  type: string;
  /** Absent for an unsealed (schema version 1) event, which recorded neither. */
  occurredAt?: string;
  recordedBy?: RegistryRecorder;
  sealed: boolean;
  /** Whether the event's own link in the hash chain holds. */
  chainIntact: boolean;
  /** false for an event the replay could not apply (unreadable, or out of place). */
  applied: boolean;
}

/** A registry stream replayed: chain, legal transitions, recorder roles, data. */
export interface RegistryAuditReport {
  streamId: string;
  kind: RegistryStreamKind;
  verdict: 'verified' | 'findings';
  events: number;
  /**
   * Seqs of unsealed (schema version 1) events opening the stream, written before registry events
   * were sealed: their content cannot be checked against a hash, and they are not tampering.
   */
  unsealed: number[];
  /** The subject's number (subject and service streams), once the replay has read it. */
  subjectNumber?: string;
  serviceNumber?: string;
  /** A service stream that replays clean: every version of the service, each with the filing that made it. */
  versions?: ServiceVersion[];
  findings: AuditFinding[];
  timeline: RegistryTimelineEntry[];
}
