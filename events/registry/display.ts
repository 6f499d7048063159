/** The public registry route a service is looked up by its number (`services/public`). */
export const SERVICE_LOOKUP_PATH = '/v1/public/services';

/** What an app, website or store listing must show for a registered service. */
export interface ServiceDisplay {
  /** The service number itself, e.g. `粤ICP备2026000001号-2A`. */
  text: string;
  /** The registry's public lookup of that number: relative to the API unless a base URL is given. */
  lookupUrl: string;
}

/**
 * The display text and lookup link of `serviceNumber`. With `baseUrl` (e.g. `https://icp.example`)
 * the link is absolute; a trailing slash on it is ignored.
 */
export function displayOf(serviceNumber: string, baseUrl = ''): ServiceDisplay {
  const query = new URLSearchParams({ serviceNumber }).toString();
  return { text: serviceNumber, lookupUrl: `${baseUrl.replace(/\/+$/, '')}${SERVICE_LOOKUP_PATH}?${query}` };
}
