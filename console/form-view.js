// The registration form as nested definition lists, as the auditor's and the bureau's views show it.

import { h } from './dom.js';
import { DICTIONARIES, label, language, t } from './i18n.js';
import { provinceName } from './reference.js';

function formLabel(key) {
  const dictionaryKey = `form.${key}`;
  return dictionaryKey in DICTIONARIES[language()] ? t(dictionaryKey) : key;
}

/** Province codes by name, the service type by its label, long keys shortened; the rest as given. */
function formText(key, value) {
  if ((key === 'province' || key === 'serverLocation') && /^\d{6}$/.test(String(value)))
    return provinceName(value);
  if (key === 'serviceType') return label('serviceType', value);
  const text = String(value);
  // The fingerprints beside a public key are shown whole.
  return key === 'publicKey' && text.length > 48 ? `${text.slice(0, 24)}…${text.slice(-16)}` : text;
}

/** A field's path as `diffForms` names it (`app.platforms.0.packageName`), in words: `应用信息 › 平台 › 1 › 包名`. */
export function fieldPathLabel(path) {
  return path
    .split('.')
    .map((segment) => (/^\d+$/.test(segment) ? String(Number(segment) + 1) : formLabel(segment)))
    .join(' › ');
}

/** A (masked) form value as elements; every value goes in as text. */
export function formValue(value, key) {
  if (Array.isArray(value)) {
    if (value.length === 0) return t('common.none');
    return value.every((item) => typeof item !== 'object' || item === null)
      ? value.join(', ')
      : h(
          'ol',
          {},
          value.map((item) => h('li', {}, formValue(item, key))),
        );
  }
  if (typeof value === 'object' && value !== null) {
    return h(
      'dl',
      { class: 'form-data' },
      Object.entries(value).map(([name, inner]) => [
        h('dt', {}, formLabel(name)),
        h('dd', { 'data-field': name }, formValue(inner, name)),
      ]),
    );
  }
  return formText(key, value);
}
