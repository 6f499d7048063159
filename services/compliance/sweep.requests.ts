import {
  type ComplianceParty,
  PARTY_KEY_PATTERN,
  parsePartyKey,
} from '../../events/compliance/compliance-party';
import { PROVINCES } from '../../events/provinces';
import { queryOf } from '../http/query-parameters';
import { jsonBody } from '../http/request-bodies';
import {
  choiceField,
  type FieldError,
  type Parsed,
  required,
  type RequestField,
  textField,
} from '../http/request-fields';
import { dateField } from './inventory.requests';

/** `?party=isp:中国电信`: a party by its key. */
export function partyField(): RequestField<ComplianceParty> {
  const text = textField({ max: 200 });
  return {
    ...text,
    schema: {
      type: 'string',
      maxLength: 200,
      pattern: PARTY_KEY_PATTERN,
      description: '`<role>:<id>`, role isp, store or device_maker',
    },
    read(value: unknown, name: string, errors: FieldError[]) {
      const key = text.read(value, name, errors);
      if (key === undefined) return undefined;
      const party = parsePartyKey(key);
      if (!party)
        errors.push({ path: name, rule: 'party', message: `${name} must be <isp|store|device_maker>:<id>` });
      return party;
    },
  };
}

const province = choiceField(
  PROVINCES.map((entry) => entry.code),
  'unknown_province',
);

export const sweepRequestBody = jsonBody({ asOf: required(dateField()) });
export const inventoryReportQuery = queryOf({ reportedOn: dateField() });
export const inventoryListQuery = queryOf({ party: partyField(), reportedOn: dateField() });
export const sweepItemsQuery = queryOf({
  province,
  party: partyField(),
  format: choiceField(['json', 'csv'] as const),
});

export const parseSweepRequest = (body: unknown) => sweepRequestBody.parse(body) as Parsed<{ asOf: string }>;
export const parseInventoryReportQuery = (query: unknown) =>
  inventoryReportQuery.parse(query) as Parsed<{ reportedOn?: string }>;
export const parseInventoryListQuery = (query: unknown) =>
  inventoryListQuery.parse(query) as Parsed<{ party?: ComplianceParty; reportedOn?: string }>;
export const parseSweepItemsQuery = (query: unknown) =>
  sweepItemsQuery.parse(query) as Parsed<{
    province?: string;
    party?: ComplianceParty;
    format?: 'json' | 'csv';
  }>;
