import type { Actor, ActorRole } from '../filing/actor';
import { isProvinceCode } from '../provinces';
import { AuthenticationError } from './authentication-error';

export const TOKEN_ROLES = [
  'platform',
  'bureau',
  'auditor',
  'admin',
  'isp',
  'store',
  'device_maker',
] as const satisfies readonly ActorRole[];

/** The roles a bearer token can carry; `applicant` and `system` never authenticate with a token. */
export type TokenRole = (typeof TOKEN_ROLES)[number];

/** What `issue` signs besides issuer, audience and lifetime. */
export interface TokenClaims {
  sub: string;
  role: TokenRole;
  /** Required for role `platform`. */
  platformId?: string;
  /** Required for role `bureau`: a GB/T 2260 province code such as `440000`. */
  province?: string;
  /** Required for role `isp`: the ISP's name as filings write `form.access.ispName` (1–64 characters). */
  ispName?: string;
  /** Required for roles `store` and `device_maker`: the organisation, as ORG_ID (`huawei-appgallery`). */
  org?: string;
}

export const PLATFORM_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** An organisation of a third party that checks the registry (a store, a device maker): like a platform id. */
export const ORG_ID = PLATFORM_ID;
/** The roles whose tokens name an organisation (`org`). */
export const ORG_ROLES = ['store', 'device_maker'] as const satisfies readonly TokenRole[];

export function isOrgRole(role: unknown): role is (typeof ORG_ROLES)[number] {
  return typeof role === 'string' && (ORG_ROLES as readonly string[]).includes(role);
}
/** The longest ISP name a token may carry, in characters (code points). */
export const MAX_ISP_NAME_LENGTH = 64;

/** An ISP's name: 1–64 characters, not blank, no control characters, no space around it. */
export function isIspName(value: unknown): value is string {
  if (typeof value !== 'string' || value.trim() !== value || value === '') return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/u.test(value)) return false;
  return [...value].length <= MAX_ISP_NAME_LENGTH;
}

/** OpenID Connect caps `sub` at 255 ASCII characters. */
export const MAX_SUBJECT_LENGTH = 255;

export function isTokenRole(value: unknown): value is TokenRole {
  return typeof value === 'string' && (TOKEN_ROLES as readonly string[]).includes(value);
}

/**
 * The actor a verified token speaks for. Only the scope claim of the token's role is kept, so a
 * platform token that also names a province gains nothing from it.
 */
export function actorFromClaims(claims: Readonly<Record<string, unknown>>): Actor {
  const { sub, role, platformId, province, ispName, org } = claims;
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > MAX_SUBJECT_LENGTH) {
    throw new AuthenticationError(
      `"sub" claim must be a non-empty string of at most ${MAX_SUBJECT_LENGTH} characters`,
    );
  }
  if (!isTokenRole(role))
    throw new AuthenticationError(`"role" claim must be one of ${TOKEN_ROLES.join(', ')}`);
  switch (role) {
    case 'platform':
      if (typeof platformId !== 'string' || !PLATFORM_ID.test(platformId)) {
        throw new AuthenticationError(
          '"platformId" claim must be 1-64 letters, digits, ".", "_" or "-" for role platform',
        );
      }
      return { role, id: sub, platformId };
    case 'bureau':
      if (typeof province !== 'string' || !isProvinceCode(province)) {
        throw new AuthenticationError('"province" claim must be a GB/T 2260 province code for role bureau');
      }
      return { role, id: sub, province };
    case 'isp':
      if (!isIspName(ispName)) {
        throw new AuthenticationError(
          `"ispName" claim must be 1-${MAX_ISP_NAME_LENGTH} characters without surrounding spaces for role isp`,
        );
      }
      return { role, id: sub, ispName };
    case 'store':
    case 'device_maker':
      if (typeof org !== 'string' || !ORG_ID.test(org)) {
        throw new AuthenticationError(
          `"org" claim must be 1-64 letters, digits, ".", "_" or "-" for role ${role}`,
        );
      }
      return { role, id: sub, org };
    case 'auditor':
    case 'admin':
      return { role, id: sub };
  }
}
