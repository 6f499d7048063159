import type { ProvinceCode } from '../provinces';

export type ActorRole = 'platform' | 'bureau' | 'applicant' | 'auditor' | 'admin' | 'system';

/** Who asked for a transition. Scope fields decide which filings the actor may touch. */
export interface Actor {
  readonly role: ActorRole;
  readonly id: string;
  /** For role `platform`: the platform the actor acts for. */
  readonly platformId?: string;
  /** For role `bureau`: the province whose bureau the actor belongs to. */
  readonly province?: ProvinceCode;
}

export const SYSTEM_ACTOR: Actor = { role: 'system', id: 'filing-workflow' };
