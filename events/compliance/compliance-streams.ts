import { parseCalendarDate } from '../calendar-date';
import { sha256Hex } from '../ids';
import { type ComplianceParty, partyKey } from './compliance-party';

/**
 * The compliance streams: inventories, sweeps, inspections and accuracy campaigns. Parties and
 * service numbers are named by a digest: stream ids are listed, logged and shown to auditors.
 */
export const COMPLIANCE_STREAM_PREFIX = 'compliance-';
export const INVENTORY_STREAM_PREFIX = 'compliance-inventory-';
export const SWEEP_STREAM_PREFIX = 'compliance-sweep-';
export const INSPECTION_STREAM_PREFIX = 'compliance-inspection-';
export const CAMPAIGN_STREAM_PREFIX = 'compliance-campaign-';
/** Not under the campaign prefix, so listing campaigns never lists their items. */
export const CAMPAIGN_ITEM_STREAM_PREFIX = 'compliance-accuracy-check-';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

const digestOf = (text: string) => sha256Hex(text).slice(0, 32);

function assertId(what: string, id: string): void {
  if (!ID.test(id)) throw new RangeError(`${what} must be 1-64 letters, digits, "_" or "-"`);
}

/** One party's inventory reports, every date. */
export function inventoryStreamId(party: ComplianceParty): string {
  return `${INVENTORY_STREAM_PREFIX}${digestOf(partyKey(party))}`;
}

/** The deadline sweep as of one China date. */
export function sweepStreamId(asOf: string): string {
  if (parseCalendarDate(asOf) === undefined)
    throw new RangeError(`not a calendar date: ${JSON.stringify(asOf)}`);
  return `${SWEEP_STREAM_PREFIX}${asOf}`;
}

export function inspectionStreamId(inspectionId: string): string {
  assertId('inspectionId', inspectionId);
  return `${INSPECTION_STREAM_PREFIX}${inspectionId}`;
}

/** The campaign itself (opened, closed); each service's part is in its item stream. */
export function campaignStreamId(campaignId: string): string {
  assertId('campaignId', campaignId);
  return `${CAMPAIGN_STREAM_PREFIX}${campaignId}`;
}

/** What every item stream of one campaign starts with (to list them with `readAll({streamPrefix})`). */
export function campaignItemStreamPrefix(campaignId: string): string {
  assertId('campaignId', campaignId);
  return `${CAMPAIGN_ITEM_STREAM_PREFIX}${campaignId}-`;
}

export function campaignItemStreamId(campaignId: string, serviceNumber: string): string {
  return `${campaignItemStreamPrefix(campaignId)}${digestOf(serviceNumber)}`;
}

export const COMPLIANCE_STREAM_KINDS = [
  'inventory',
  'sweep',
  'inspection',
  'campaign',
  'campaign_item',
] as const;
export type ComplianceStreamKind = (typeof COMPLIANCE_STREAM_KINDS)[number];

/** Longest prefix first: the kind a compliance stream id names, or undefined. */
const KIND_PREFIXES: ReadonlyArray<readonly [string, ComplianceStreamKind]> = [
  [INVENTORY_STREAM_PREFIX, 'inventory'],
  [SWEEP_STREAM_PREFIX, 'sweep'],
  [INSPECTION_STREAM_PREFIX, 'inspection'],
  [CAMPAIGN_ITEM_STREAM_PREFIX, 'campaign_item'],
  [CAMPAIGN_STREAM_PREFIX, 'campaign'],
];

export function complianceStreamKindOf(streamId: string): ComplianceStreamKind | undefined {
  const match = KIND_PREFIXES.find(
    ([prefix]) => streamId.startsWith(prefix) && streamId.length > prefix.length,
  );
  return match?.[1];
}
