import { asObject, type FieldError, onlyFields, type Parsed, result } from '../http/request-fields';

export function parseSmsAnswer(body: unknown): Parsed<{ code: string; idLast6: string }> {
  const errors: FieldError[] = [];
  const object = asObject(body, errors);
  onlyFields(object, ['code', 'idLast6'], errors);
  const { code, idLast6 } = object;
  if (typeof code !== 'string' || !/^\d{6}$/.test(code)) {
    errors.push({
      path: 'code',
      rule: 'sms_code_format',
      message: 'code must be the 6 digits from the 12381 SMS',
    });
  }
  if (typeof idLast6 !== 'string' || !/^\d{5}[\dXx]$/.test(idLast6)) {
    errors.push({
      path: 'idLast6',
      rule: 'id_last6_format',
      message: 'idLast6 must be the last 6 characters of the ID number (digits, the last may be X)',
    });
  }
  return result({ code: String(code), idLast6: String(idLast6).toUpperCase() }, errors);
}
