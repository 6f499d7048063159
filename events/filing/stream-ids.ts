/** The one function that names a filing's stream; the workflow id is the same string. */
export function filingStreamId(filingId: string): string {
  return `filing-${filingId}`;
}

export const FILING_STREAM_PREFIX = 'filing-';

export function filingIdOfStream(streamId: string): string | undefined {
  return streamId.startsWith(FILING_STREAM_PREFIX) ? streamId.slice(FILING_STREAM_PREFIX.length) : undefined;
}
