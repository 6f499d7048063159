import { isIP } from 'node:net';
import { ConfigError } from './config';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Which proxies in front of the API to believe about the client's address (Express `trust proxy`):
 * a number of hops, or the proxies' addresses and CIDR blocks (or Express's names `loopback`,
 * `linklocal`, `uniquelocal`). `undefined`: none, the client is the socket's peer.
 */
export type TrustProxy = number | readonly string[] | undefined;

const MAX_HOPS = 32;
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrBlock(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * `ICP_TRUST_PROXY`: unset or empty trusts no proxy (the socket's address is the client's); `2`
 * trusts two hops; `10.0.0.0/8, 192.168.1.7` trusts those proxies only. Anything else, `true` (which
 * would let any client choose its own address) included, is refused naming the variable.
 */
export function loadTrustProxy(env: Env = process.env): TrustProxy {
  const raw = env.ICP_TRUST_PROXY?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > MAX_HOPS) throw new ConfigError(`ICP_TRUST_PROXY: at most ${MAX_HOPS} hops, got ${hops}`);
    return hops === 0 ? undefined : hops;
  }
  const entries = raw.split(',').map((entry) => entry.trim());
  const wrong = entries.findIndex((entry) => !isAddressOrBlock(entry));
  if (wrong >= 0) {
    throw new ConfigError(
      `ICP_TRUST_PROXY: entry ${wrong + 1} must be an IP address, a CIDR block (10.0.0.0/8) or loopback, linklocal, uniquelocal; or the whole value a hop count`,
    );
  }
  return entries;
}
