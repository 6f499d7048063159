import type { Actor } from '../filing/actor';

/**
 * The third parties whose services bureaus check: an ISP (by its name), a distribution platform
 * (`store`) or a device maker (by their organisation id), as their tokens name them.
 */
export const COMPLIANCE_PARTY_ROLES = ['isp', 'store', 'device_maker'] as const;
export type CompliancePartyRole = (typeof COMPLIANCE_PARTY_ROLES)[number];

export interface ComplianceParty {
  readonly role: CompliancePartyRole;
  /** The ISP's name (`中国电信`) or the organisation (`huawei-appgallery`). */
  readonly id: string;
}

export function isCompliancePartyRole(value: unknown): value is CompliancePartyRole {
  return typeof value === 'string' && (COMPLIANCE_PARTY_ROLES as readonly string[]).includes(value);
}

/** The party an authenticated actor speaks for; undefined for a platform, bureau, auditor or admin. */
export function partyOfActor(actor: Actor): ComplianceParty | undefined {
  if (actor.role === 'isp' && actor.ispName !== undefined) return { role: 'isp', id: actor.ispName };
  if ((actor.role === 'store' || actor.role === 'device_maker') && actor.org !== undefined) {
    return { role: actor.role, id: actor.org };
  }
  return undefined;
}

/** What parsePartyKey accepts, as a JSON-schema pattern: a known role, `:`, an id without space around it. */
export const PARTY_KEY_PATTERN = '^(isp|store|device_maker):\\S([\\s\\S]*\\S)?$';

/** `<role>:<id>`: how a party is named in URLs (`?party=isp:中国电信`) and keys. */
export function partyKey(party: ComplianceParty): string {
  return `${party.role}:${party.id}`;
}

/** The party a key names, or undefined when the role is unknown or the id empty. */
export function parsePartyKey(text: string): ComplianceParty | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const role = text.slice(0, colon);
  const id = text.slice(colon + 1);
  if (!isCompliancePartyRole(role) || id.trim() === '' || id.trim() !== id) return undefined;
  return { role, id };
}

export function sameParty(a: ComplianceParty, b: ComplianceParty): boolean {
  return a.role === b.role && a.id === b.id;
}
