import type { RegistrationForm } from '../form/registration-form';
import { domicileProvinceOf } from '../form/domicile-province';
import { operatorCertificateOf } from './filing-subject';

/**
 * A change filing against the registered version, field by field: what the console shows the bureau
 * and what tells the subject's changes from the service's. Pure; values may hold personal data (the
 * principals' sections): show them masked, never log them.
 */

/** Which part of a registration a field belongs to. */
export type RegistrationPart = 'subject' | 'service';

/** One field that differs. `before` absent: added; `after` absent: removed. */
export interface FieldDifference {
  /** Dotted path into the form, arrays by index: `app.platforms[0].packageName`, `access.ispName`. */
  readonly path: string;
  readonly part: RegistrationPart;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** The form's sections that describe the subject (主体); every other section describes the service. */
export const SUBJECT_SECTIONS = [
  'existingSubjectNumber',
  'operatorCertificate',
  'operator',
  'operatorPrincipal',
] as const;

export function partOfPath(path: string): RegistrationPart {
  const section = /^[^.[]+/.exec(path)?.[0] ?? path;
  return (SUBJECT_SECTIONS as readonly string[]).includes(section) ? 'subject' : 'service';
}

type Json = unknown;

const isObject = (value: Json): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isScalarList = (value: Json): value is Json[] =>
  Array.isArray(value) && value.every((item) => !isObject(item) && !Array.isArray(item));

function sameValue(a: Json, b: Json): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key], b[key]));
  }
  return a === b;
}

function difference(path: string, before: Json, after: Json): FieldDifference {
  return {
    path,
    part: partOfPath(path),
    ...(before !== undefined && { before }),
    ...(after !== undefined && { after }),
  };
}

/** Lists of scalars (domains, languages, IPs) differ as a whole; lists of sections item by item. */
function diffValues(path: string, before: Json, after: Json): FieldDifference[] {
  if (sameValue(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => diffValues(path ? `${path}.${key}` : key, before[key], after[key]));
  }
  if (Array.isArray(before) && Array.isArray(after) && !(isScalarList(before) && isScalarList(after))) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, index) =>
      diffValues(`${path}[${index}]`, before[index], after[index]),
    ).flat();
  }
  return [difference(path, before, after)];
}

/**
 * Every field in which `proposed` differs from `registered` (in the registered form's order, then the
 * fields only the proposed form has), each marked as the subject's or the service's. Empty: no change.
 */
export function diffForms(registered: RegistrationForm, proposed: RegistrationForm): FieldDifference[] {
  return diffValues('', registered, proposed);
}

/** What a change alters, as its target records it (`FilingTarget.alters`). */
export function altersOf(differences: readonly FieldDifference[]): { subject: boolean; service: boolean } {
  return {
    subject: differences.some((d) => d.part === 'subject'),
    service: differences.some((d) => d.part === 'service'),
  };
}

/** A field a change may not alter, with the path the proposed form gives it at. */
export interface ImmutableChange {
  readonly path: string;
  readonly what: 'province' | 'certificate' | 'service_type';
}

/**
 * What a change may not alter: the domicile province (it decides the bureau and the number's
 * abbreviation), the operator's certificate (the subject's key) and the service type (the number's
 * suffix). Compared by meaning, so a form that moves the certificate from `operator` to
 * `operatorCertificate` alters nothing as long as it is the same certificate.
 */
export function immutableChangesOf(
  registered: RegistrationForm,
  proposed: RegistrationForm,
): ImmutableChange[] {
  const changes: ImmutableChange[] = [];
  if (domicileProvinceOf(registered).code !== domicileProvinceOf(proposed).code) {
    changes.push({
      path: proposed.operator ? 'operator.province' : 'existingSubjectNumber',
      what: 'province',
    });
  }
  const before = operatorCertificateOf(registered);
  const after = operatorCertificateOf(proposed);
  if (before.type !== after.type || before.number !== after.number) {
    changes.push({ path: certificatePathOf(proposed), what: 'certificate' });
  }
  if (registered.serviceType !== proposed.serviceType)
    changes.push({ path: 'serviceType', what: 'service_type' });
  return changes;
}

function certificatePathOf(form: RegistrationForm): string {
  if (form.operator === undefined) return 'operatorCertificate.number';
  return form.operator.nature === 'individual' ? 'operator.idNumber' : 'operator.creditCode';
}
