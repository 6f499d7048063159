import type { RegistrationForm } from '../form/registration-form';
import { domicileProvinceOf } from '../form/domicile-province';
import { operatorCertificateOf } from './filing-subject';

/**
 * The difference between two versions of a registration form, field by field: what a change filing
 * alters against the registered version. Pure and generic over JSON-shaped forms, so it diffs a
 * `RegistrationForm` as well as the same form masked for a reviewer.
 */

/** A value a difference shows: a field's value, or an empty object or list (never a non-empty one). */
export type FormLeafValue =
  string | number | boolean | null | readonly never[] | { readonly [key: string]: never };

/** Which part of the registration a field belongs to: the subject (operator) or the service. */
export type RegistrationPart = 'subject' | 'service';

export interface FormDifference {
  /** Dotted path from the form's root; list items by index: `app.platforms.0.packageName`. */
  readonly path: string;
  /** The field's value in the first version; absent when the field is absent there. */
  readonly before?: FormLeafValue;
  /** The field's value in the second version; absent when the field is absent there. */
  readonly after?: FormLeafValue;
  readonly part: RegistrationPart;
}

/** The form's sections that describe the subject; every other section describes the service. */
export const SUBJECT_SECTIONS: readonly string[] = [
  'existingSubjectNumber',
  'operatorCertificate',
  'operator',
  'operatorPrincipal',
];

type Segment = string | number;

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The keys of an object whose value is not undefined (an undefined field is an absent one). */
function presentKeys(value: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}

function isNonEmptyContainer(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return isPlainObject(value) && presentKeys(value).length > 0;
}

/** Structural equality of JSON values; an object's key order does not matter. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = presentKeys(a);
    return keys.length === presentKeys(b).length && keys.every((key) => sameValue(a[key], b[key]));
  }
  return false;
}

function pathOf(segments: readonly Segment[]): string {
  return segments.join('.');
}

export function partOfPath(path: string): RegistrationPart {
  const section = path.split('.', 1)[0] ?? '';
  return SUBJECT_SECTIONS.includes(section) ? 'subject' : 'service';
}

/** Every leaf of a value (a field, or an empty object or list) by its path; nothing for an absent one. */
function leavesOf(segments: readonly Segment[], value: unknown, into: Map<string, FormLeafValue>): void {
  if (value === undefined) return;
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((item, index) => leavesOf([...segments, index], item, into));
  } else if (isPlainObject(value) && presentKeys(value).length > 0) {
    for (const key of presentKeys(value)) leavesOf([...segments, key], value[key], into);
  } else {
    into.set(pathOf(segments), value as FormLeafValue);
  }
}

function difference(path: string, before: unknown, after: unknown): FormDifference {
  return {
    path,
    ...(before !== undefined && { before: before as FormLeafValue }),
    ...(after !== undefined && { after: after as FormLeafValue }),
    part: partOfPath(path),
  };
}

function diffValues(
  segments: readonly Segment[],
  before: unknown,
  after: unknown,
  out: FormDifference[],
): void {
  if (sameValue(before, after)) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    for (let index = 0; index < length; index++) {
      diffValues([...segments, index], before[index], after[index], out);
    }
    return;
  }
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...presentKeys(before), ...presentKeys(after)])];
    for (const key of keys) diffValues([...segments, key], before[key], after[key], out);
    return;
  }
  if (isNonEmptyContainer(before) || isNonEmptyContainer(after)) {
    // A section added or dropped, or a value replaced by one of another shape: leaf by leaf.
    const beforeLeaves = new Map<string, FormLeafValue>();
    const afterLeaves = new Map<string, FormLeafValue>();
    leavesOf(segments, before, beforeLeaves);
    leavesOf(segments, after, afterLeaves);
    for (const path of new Set([...beforeLeaves.keys(), ...afterLeaves.keys()])) {
      out.push(difference(path, beforeLeaves.get(path), afterLeaves.get(path)));
    }
    return;
  }
  out.push(difference(pathOf(segments), before, after));
}

/**
 * The fields in which `after` differs from `before`, in the order they appear (the first version's
 * fields, then those only the second has): nested objects field by field, lists item by item by
 * index, a field present on one side only with the other side absent. Each difference names the
 * part of the registration it belongs to. Equal forms give none. Pure.
 */
export function diffForms(before: object, after: object): FormDifference[] {
  const out: FormDifference[] = [];
  diffValues([], before, after, out);
  return out;
}

/** The value at a path `diffForms` gave, in a form of the same shape; undefined when absent. */
export function valueAtPath(form: object, path: string): unknown {
  let value: unknown = form;
  for (const segment of path === '' ? [] : path.split('.')) {
    if (Array.isArray(value)) value = /^\d+$/.test(segment) ? value[Number(segment)] : undefined;
    else if (isPlainObject(value)) value = Object.hasOwn(value, segment) ? value[segment] : undefined;
    else return undefined;
  }
  return value;
}

/** What a change alters, as its target records it (`FilingTarget.alters`). */
export function altersOf(differences: readonly FormDifference[]): { subject: boolean; service: boolean } {
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
