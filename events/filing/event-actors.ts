import type { ActorRole } from './actor';
import { FILING_COMMAND_RULES, type FilingCommandRule } from './command-rules';
import { FILING_EVENT_TYPES, type FilingEventType } from './filing-events';

const RULES: readonly FilingCommandRule[] = Object.values(FILING_COMMAND_RULES);

function recorderRolesOf(type: FilingEventType): readonly ActorRole[] {
  const roles = RULES.filter((rule) => rule.records.includes(type)).flatMap((rule) => rule.roles);
  return [...new Set(roles)];
}

/**
 * The roles whose commands `decide` turns into each event (from FILING_COMMAND_RULES): what an
 * auditor accepts as the recorder of an event.
 */
export const EVENT_RECORDER_ROLES: Readonly<Record<FilingEventType, readonly ActorRole[]>> =
  Object.fromEntries(FILING_EVENT_TYPES.map((type) => [type, recorderRolesOf(type)])) as Record<
    FilingEventType,
    readonly ActorRole[]
  >;
