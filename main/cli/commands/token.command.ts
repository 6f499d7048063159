import { isProvinceCode } from '../../../events/provinces';
import {
  isIspName,
  isOrgRole,
  isTokenRole,
  MAX_ISP_NAME_LENGTH,
  MAX_SUBJECT_LENGTH,
  ORG_ID,
  PLATFORM_ID,
  TOKEN_ROLES,
  type TokenClaims,
} from '../../../events/auth/token-claims';
import { requireSecrets } from '../../../infra/config/secrets-config';
import { createTokenVerifier, DEFAULT_TOKEN_TTL_SECONDS } from '../../../infra/auth/token-verifier';
import { loadConfig } from '../../../infra/config/config';
import type { CliCommand, CliIo } from '../command';

const USAGE =
  'icp token --role platform|bureau|auditor|admin|isp|store|device_maker [--platform ID] [--province CODE] [--isp-name NAME] [--org ID] [--sub NAME] [--ttl SECONDS]';
const MAX_TTL_SECONDS = 30 * 24 * 60 * 60;
const VALUE_OPTIONS = [
  '--role',
  '--platform',
  '--province',
  '--isp-name',
  '--org',
  '--sub',
  '--ttl',
] as const;

type ValueOption = (typeof VALUE_OPTIONS)[number];

interface TokenArgs {
  claims: TokenClaims;
  ttlSeconds: number;
}

class UsageError extends Error {}

function readOptions(args: readonly string[]): Partial<Record<ValueOption, string>> | 'help' {
  const values: Partial<Record<ValueOption, string>> = {};
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') return 'help';
    const option = VALUE_OPTIONS.find((name) => arg === name || arg.startsWith(`${name}=`));
    if (!option)
      throw new UsageError(arg.startsWith('-') ? `unknown option ${arg}` : `unexpected argument ${arg}`);
    const value = arg === option ? args[++i] : arg.slice(option.length + 1);
    if (value === undefined || value === '' || (arg === option && value.startsWith('--'))) {
      throw new UsageError(`${option} needs a value`);
    }
    if (values[option] !== undefined) throw new UsageError(`${option} is given twice`);
    values[option] = value;
  }
  return values;
}

function parseArgs(args: readonly string[]): TokenArgs | 'help' {
  const options = readOptions(args);
  if (options === 'help') return options;
  const {
    '--role': role,
    '--platform': platformId,
    '--province': province,
    '--isp-name': ispName,
    '--org': org,
    '--sub': sub,
    '--ttl': ttl,
  } = options;

  if (!isTokenRole(role)) throw new UsageError(`--role must be one of ${TOKEN_ROLES.join(', ')}`);
  if (role === 'platform' && (platformId === undefined || !PLATFORM_ID.test(platformId))) {
    throw new UsageError('--platform must be 1-64 letters, digits, ".", "_" or "-" (such as wechat)');
  }
  if (role !== 'platform' && platformId !== undefined)
    throw new UsageError('--platform applies only to --role platform');
  if (role === 'bureau' && (province === undefined || !isProvinceCode(province))) {
    throw new UsageError('--province must be a GB/T 2260 province code such as 440000');
  }
  if (role !== 'bureau' && province !== undefined)
    throw new UsageError('--province applies only to --role bureau');
  if (role === 'isp' && !isIspName(ispName)) {
    throw new UsageError(
      `--isp-name must be the ISP's name as filings write it, 1-${MAX_ISP_NAME_LENGTH} characters (such as 阿里云)`,
    );
  }
  if (role !== 'isp' && ispName !== undefined) throw new UsageError('--isp-name applies only to --role isp');
  if (isOrgRole(role) && (org === undefined || !ORG_ID.test(org))) {
    throw new UsageError('--org must be 1-64 letters, digits, ".", "_" or "-" (such as huawei-appgallery)');
  }
  if (!isOrgRole(role) && org !== undefined)
    throw new UsageError('--org applies only to --role store or device_maker');
  if (sub !== undefined && (sub.trim() === '' || sub.length > MAX_SUBJECT_LENGTH)) {
    throw new UsageError(`--sub must be a non-empty name of at most ${MAX_SUBJECT_LENGTH} characters`);
  }
  if (ttl !== undefined && !(/^[1-9]\d{0,7}$/.test(ttl) && Number(ttl) <= MAX_TTL_SECONDS)) {
    throw new UsageError(`--ttl must be a whole number of seconds from 1 to ${MAX_TTL_SECONDS} (30 days)`);
  }

  const scope = platformId ?? province ?? ispName ?? org;
  return {
    claims: { sub: sub ?? (scope ? `${role}:${scope}` : role), role, platformId, province, ispName, org },
    ttlSeconds: ttl === undefined ? DEFAULT_TOKEN_TTL_SECONDS : Number(ttl),
  };
}

/**
 * `icp token`: a bearer token signed with the local secret of the data directory, which the API of a
 * system started with the same `ICP_DATA_DIR` accepts. For development and operations scripts; with
 * `ICP_JWKS_URL` set, tokens come from the identity provider instead.
 */
export const tokenCommand: CliCommand = {
  name: 'token',
  usage: USAGE,
  summary: 'print a bearer token for the local secret (development and scripts)',
  async run(args: readonly string[], io: CliIo): Promise<number> {
    let parsed: TokenArgs | 'help';
    try {
      parsed = parseArgs(args);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      io.err(`icp token: ${error.message} (usage: ${USAGE})`);
      return 2;
    }
    if (parsed === 'help') {
      io.out(`usage: ${USAGE}`);
      return 0;
    }

    const config = loadConfig();
    requireSecrets('token');
    const verifier = createTokenVerifier({ dataDir: config.dataDir });
    io.out(await verifier.issue(parsed.claims, parsed.ttlSeconds));
    return 0;
  },
};
