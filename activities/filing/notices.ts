import type { ServiceType } from '../../events/form/registration-form';
import type { FilingKind } from '../../events/filing/filing-kind';
import type { FieldReason } from '../../events/filing/filing-events';
import type { NoticeFacts, NoticeTemplate, OutcomeNotice } from '../../events/filing/outcome-notices';

/** The registration system's public lookup (ICP/IP地址/域名信息备案管理系统), named in every number's notice. */
export const ICP_LOOKUP_URL = 'https://beian.miit.gov.cn';

/** The signature the MIIT filing system's messages carry. */
const SIGNATURE = '【工信部ICP备案】';

const SERVICE_LABELS: Readonly<Record<ServiceType, string>> = {
  app: 'APP',
  mini_program: '小程序',
  quick_app: '快应用',
};

const KIND_LABELS: Readonly<Record<FilingKind, string>> = {
  new_registration: 'ICP备案',
  change: 'ICP备案变更',
  cancellation: 'ICP备案注销',
  new_access: 'ICP备案新增接入',
};

/** Why the registry sent an approved filing back (`RegistrationNumberRefused`); any other: the default. */
const REGISTRY_REFUSALS: Readonly<Partial<Record<string, string>>> = {
  subject_not_registered: '所填主体备案号未在该主办单位证件下登记',
  subject_number_mismatch: '该主办单位证件已登记的主体备案号与所填不一致',
  operator_unknown: '备案系统中缺少该主办单位的信息',
  registry_changed: '所涉备案在审核期间已发生变化',
};

/** A notice's words: the SMS text and the e-mail's subject and text (the same body). */
export interface RenderedNotice {
  readonly sms: string;
  readonly email: { readonly subject: string; readonly text: string };
}

/** 「某某记账」APP的ICP备案申请（申请号 …） */
function filingOf(f: NoticeFacts): string {
  return `您的${SERVICE_LABELS[f.serviceType]}「${f.appName}」${KIND_LABELS[f.kind]}申请（申请号：${f.filingId}）`;
}

function reasonsOf(label: string, f: { reasons: string; fieldReasons: readonly FieldReason[] }): string {
  const fields = f.fieldReasons.map(
    (r, i) => `（${i + 1}）${r.path}：${r.problem}${r.suggestion ? `；修改建议：${r.suggestion}` : ''}`,
  );
  const perField = fields.length > 0 ? `需修改的项目：${fields.join('；')}。` : '';
  return `${label}：${trimEnd(f.reasons)}。${perField}`;
}

const trimEnd = (text: string): string => text.trim().replace(/[。.；;]+$/u, '');

/** An instant as China reads it: 2026年12月8日 15:01（北京时间）. */
export function chinaTimeOf(iso: string): string {
  const t = new Date(Date.parse(iso) + 8 * 3_600_000);
  const hh = String(t.getUTCHours()).padStart(2, '0');
  const mm = String(t.getUTCMinutes()).padStart(2, '0');
  return `${t.getUTCFullYear()}年${t.getUTCMonth() + 1}月${t.getUTCDate()}日 ${hh}:${mm}（北京时间）`;
}

const LOOKUP = `可登录工业和信息化部ICP/IP地址/域名信息备案管理系统（${ICP_LOOKUP_URL}）查询。`;

/** What was registered, by the filing's kind: the number and where the public looks it up. */
function registeredText(f: NoticeFacts & { registrationNumber: string }): string {
  const n = f.registrationNumber;
  switch (f.kind) {
    case 'new_registration':
      return `已通过审核，备案号：${n}。请在${SERVICE_LABELS[f.serviceType]}显著位置标明备案号。${LOOKUP}`;
    case 'change':
      return `已通过审核，变更已生效，备案号${n}不变。${LOOKUP}`;
    case 'cancellation':
      return `已通过审核，备案号${n}已注销，不再使用。${LOOKUP}`;
    case 'new_access':
      return `已通过审核，新增接入已生效，备案号：${n}。${LOOKUP}`;
  }
}

/** The subject line's words for each outcome. */
const SUBJECTS: Readonly<Record<NoticeTemplate, string>> = {
  platform_approved: '初审通过',
  platform_returned: '初审退回修改',
  platform_rejected: '初审未通过',
  sms_sent: '短信核验码已发送',
  returned_to_platform: '短信核验未完成，已退回接入平台',
  registry_returned: '已退回接入平台修改',
  bureau_returned: '管局审核退回修改',
  bureau_rejected: '管局审核未通过',
  registered: '审核通过',
  withdrawn: '已撤回',
};

/** The outcome in a sentence, following 「您的APP「…」ICP备案申请（申请号：…）」. */
function bodyOf(notice: OutcomeNotice): string {
  switch (notice.template) {
    case 'platform_approved':
      return '已通过接入平台初审。您将收到12381发送的短信核验码，请在24小时内完成核验。';
    case 'platform_returned':
      return `未通过接入平台初审，已退回修改。${reasonsOf('退回原因', notice.facts)}请配合接入平台修改后重新提交。`;
    case 'platform_rejected':
      return `未通过接入平台初审，已被驳回。${reasonsOf('驳回原因', notice.facts)}`;
    case 'sms_sent':
      return `的短信核验码已由12381发送至您的手机，请于${chinaTimeOf(notice.facts.expiresAt)}前完成核验。核验码只在短信中提供，请勿告知他人。`;
    case 'returned_to_platform':
      return `${notice.facts.reason === 'sms_expired' ? '未在24小时内完成短信核验' : '短信核验错误次数已达上限'}，已退回接入平台。接入平台重新提交后，您将收到新的核验码。`;
    case 'registry_returned':
      return `在核发备案号时与备案系统登记信息不一致（${REGISTRY_REFUSALS[notice.facts.refusal] ?? '登记信息已发生变化'}），已退回接入平台修改。`;
    case 'bureau_returned':
      return `经通信管理局审核，退回修改。${reasonsOf('退回原因', notice.facts)}请配合接入平台修改后重新提交。`;
    case 'bureau_rejected':
      return `经通信管理局审核，未予通过。${reasonsOf('原因', notice.facts)}`;
    case 'registered':
      return registeredText(notice.facts);
    case 'withdrawn':
      return '已撤回，备案流程结束。';
  }
}

/** The number a notice is about, for its subject line. */
const numberOf = (notice: OutcomeNotice): string =>
  notice.template === 'registered' ? `，备案号${notice.facts.registrationNumber}` : '';

/**
 * A notice's Chinese text: the filing (its id, the app's name, its kind), the outcome, the reasons
 * given, and the number with the lookup link where one is involved. Never an ID number or a code.
 */
export function renderNotice(notice: OutcomeNotice): RenderedNotice {
  const body = `${filingOf(notice.facts)}${bodyOf(notice)}`;
  return {
    sms: `${SIGNATURE}${body}`,
    email: {
      subject: `${KIND_LABELS[notice.facts.kind]}${SUBJECTS[notice.template]}：「${notice.facts.appName}」${numberOf(notice)}`,
      text: body,
    },
  };
}
