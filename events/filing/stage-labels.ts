import type { FilingStage } from './filing-state';

export type LabelLanguage = 'zh' | 'en';

/**
 * What each stage is called wherever people read it: the console (served to it as the generated
 * module `stage-labels.js`) and the audit's timeline picture.
 */
export const STAGE_LABELS: Readonly<Record<LabelLanguage, Readonly<Record<FilingStage, string>>>> = {
  zh: {
    submission: '提交',
    platform_review: '平台初审',
    sms_verification: '短信核验',
    bureau_review: '管理局审核',
    issuance: '备案号签发',
    closed: '已办结',
  },
  en: {
    submission: 'Submission',
    platform_review: 'Platform review',
    sms_verification: 'SMS verification',
    bureau_review: 'Bureau review',
    issuance: 'Issuance',
    closed: 'Closed',
  },
};
