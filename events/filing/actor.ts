import type { ProvinceCode } from '../provinces';

export const ACTOR_ROLES = ['platform', 'bureau', 'applicant', 'auditor', 'admin', 'system'] as const;

export type ActorRole = (typeof ACTOR_ROLES)[number];

export function isActorRole(value: unknown): value is ActorRole {
  return typeof value === 'string' && (ACTOR_ROLES as readonly string[]).includes(value);
}

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
