import { jsonBody } from '../http/request-bodies';
import { type Parsed, required, textField } from '../http/request-fields';

export const smsAnswerBody = jsonBody({
  code: required(
    textField({
      max: 6,
      shape: {
        regex: /^[0-9]{6}$/,
        rule: 'sms_code_format',
        message: 'code must be the 6 digits from the 12381 SMS',
      },
    }),
    'sms_code_format',
  ),
  idLast6: required(
    textField({
      max: 6,
      shape: {
        regex: /^[0-9]{5}[0-9Xx]$/,
        rule: 'id_last6_format',
        message: 'idLast6 must be the last 6 characters of the ID number (digits, the last may be X)',
      },
    }),
    'id_last6_format',
  ),
});

export function parseSmsAnswer(body: unknown): Parsed<{ code: string; idLast6: string }> {
  const parsed = smsAnswerBody.parse(body) as Parsed<{ code: string; idLast6: string }>;
  return parsed.ok
    ? { ok: true, value: { ...parsed.value, idLast6: parsed.value.idLast6.toUpperCase() } }
    : parsed;
}
