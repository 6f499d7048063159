// `esdb://` and `esdb+discover://` name the same connections as `kurrentdb://` and `kurrentdb+discover://`.
const ESDB_SCHEME = /^(\s*)esdb(\+discover)?:\/\//;

/**
 * The URL as the client takes it: `esdb` schemes become `kurrentdb` ones, the rest stays. The client
 * still parses `esdb://`, but then prints a deprecation warning on the console for every connection,
 * a plain-text line among the JSON log lines.
 */
export function clientConnectionString(url: string): string {
  return url.replace(ESDB_SCHEME, '$1kurrentdb$2://');
}
