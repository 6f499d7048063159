import type { ProvinceCode } from '../provinces';

/**
 * `isp`: an Internet service provider (接入服务商) that gives services network access. It acts on the
 * registry (withdrawing its own access) and may give no filing command (FILING_COMMAND_RULES names it nowhere).
 * `store` (a distribution platform, 应用分发平台) and `device_maker` (智能终端生产企业): they check the
 * registry before listing or pre-installing an app; they give no filing command either.
 */
export const ACTOR_ROLES = [
  'platform',
  'bureau',
  'applicant',
  'auditor',
  'admin',
  'system',
  'isp',
  'store',
  'device_maker',
] as const;

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
  /** For role `isp`: the ISP's name as filings write it in `form.access.ispName`. */
  readonly ispName?: string;
  /** For roles `store` and `device_maker`: the organisation the actor acts for (`huawei-appgallery`). */
  readonly org?: string;
}

export const SYSTEM_ACTOR: Actor = { role: 'system', id: 'filing-workflow' };
