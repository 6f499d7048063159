import type { ProvinceCode } from '../provinces';

/**
 * The Internet Information Service Registration Form (互联网信息服务备案表) for an app, a mini
 * program or a quick app (快应用), as a platform submits it. A value of this type has passed `validateRegistrationForm`.
 */

export const SERVICE_TYPES = ['app', 'mini_program', 'quick_app'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** 主办单位性质. */
export const OPERATOR_NATURES = [
  'enterprise',
  'government',
  'public_institution',
  'social_organisation',
  'private_non_enterprise',
  'foundation',
  'law_firm',
  'medical_institution',
  'religious_organisation',
  'individual',
] as const;
export type OperatorNature = (typeof OPERATOR_NATURES)[number];

/** Identity documents a person in charge may present. */
export const ID_TYPES = [
  /** 居民身份证 (GB 11643, checked in full). */
  'resident_id',
  /** 港澳台居民居住证 (GB 11643 layout, area codes 810000/820000/830000). */
  'hmt_residence_permit',
  /** 港澳居民来往内地通行证. */
  'hk_macao_permit',
  /** 台湾居民来往大陆通行证. */
  'taiwan_permit',
  'passport',
  /** 外国人永久居留身份证. */
  'foreign_permanent_residence',
] as const;
export type IdType = (typeof ID_TYPES)[number];

export const OPERATING_SYSTEMS = ['android', 'ios', 'harmony'] as const;
export type OperatingSystem = (typeof OPERATING_SYSTEMS)[number];

/** Content that needs a competent authority's approval before filing (前置审批). */
export const REGULATED_CATEGORIES = [
  'news',
  'publishing',
  'education',
  'healthcare',
  'drugs_medical_devices',
  'culture',
  'radio_film_tv',
  'religion',
  'internet_finance',
  'online_car_hailing',
] as const;
export type RegulatedCategory = (typeof REGULATED_CATEGORIES)[number];

/** 接入方式. */
export const ACCESS_METHODS = ['dedicated_line', 'colocation', 'virtual_host', 'cloud', 'other'] as const;
export type AccessMethod = (typeof ACCESS_METHODS)[number];

/** `idValidUntil` of a document without an end date (长期). */
export const LONG_TERM = 'long-term';
/** `preApprovals` of a service that offers no regulated content. */
export const NO_PRE_APPROVALS = 'none';

interface OperatorBase {
  readonly name: string;
  /** GB/T 2260 code of the domicile province: it decides which bureau reviews the filing. */
  readonly province: ProvinceCode;
  readonly city: string;
  readonly address: string;
}

export interface OrganisationOperator extends OperatorBase {
  readonly nature: Exclude<OperatorNature, 'individual'>;
  /** Unified Social Credit Code (GB 32100). */
  readonly creditCode: string;
}

export interface IndividualOperator extends OperatorBase {
  readonly nature: 'individual';
  /** Resident identity card number (GB 11643). */
  readonly idNumber: string;
}

export type Operator = OrganisationOperator | IndividualOperator;

/** A person in charge (负责人), of the operator or of the app. */
export interface Principal {
  readonly name: string;
  readonly idType: IdType;
  readonly idNumber: string;
  /** `YYYY-MM-DD` or `long-term`; at least one month after the submission date. */
  readonly idValidUntil: string;
  readonly mobile: string;
  readonly email: string;
  /** 应急联系电话: a mobile or fixed-line number other than `mobile`. */
  readonly emergencyContact?: string;
}

export interface AndroidFamilyPlatform {
  readonly os: 'android' | 'harmony';
  readonly packageName: string;
  readonly publicKey: string;
  /** MD5 fingerprint of the signing certificate, 32 hexadecimal digits. */
  readonly signatureMd5: string;
}

export interface IosPlatform {
  readonly os: 'ios';
  readonly bundleId: string;
  readonly publicKey: string;
  /** SHA-1 fingerprint of the signing certificate, 40 hexadecimal digits. */
  readonly signatureSha1: string;
}

export type Platform = AndroidFamilyPlatform | IosPlatform;

export interface Sdk {
  readonly name: string;
  readonly provider: string;
}

export interface PreApproval {
  readonly category: RegulatedCategory;
  /** Number of the approval document issued by the competent authority. */
  readonly approvalRef: string;
  readonly issuer: string;
}

export type PreApprovals = typeof NO_PRE_APPROVALS | readonly PreApproval[];

interface ServiceDetailsBase {
  readonly name: string;
  readonly serviceContent: string;
  /** BCP 47 tags, e.g. `zh-Hans`, `en`. */
  readonly languages: readonly string[];
  /** Domain names the service uses (bare, punycode for non-ASCII names); may be empty. */
  readonly domains: readonly string[];
  /** Third-party SDKs the service embeds; may be empty. */
  readonly sdks: readonly Sdk[];
  readonly preApprovals: PreApprovals;
}

export interface AppDetails extends ServiceDetailsBase {
  readonly platforms: readonly Platform[];
}

export interface MiniProgramDetails extends ServiceDetailsBase {
  /** The super-app that hosts the mini program, e.g. 微信. */
  readonly hostApp: string;
  readonly miniProgramId: string;
}

export interface QuickAppDetails extends ServiceDetailsBase {
  /** The quick app's package name (manifest `package`), shaped like an Android one: com.example.quick. */
  readonly quickAppPackage: string;
}

export interface Access {
  readonly ispName: string;
  readonly accessMethod: AccessMethod;
  /** GB/T 2260 province code. */
  readonly serverLocation: ProvinceCode;
  readonly ipAddresses: readonly string[];
}

/** The kinds of certificate a subject is registered under (see `subjectKeyOf`). */
export const OPERATOR_CERTIFICATE_TYPES = ['uscc', 'resident_id'] as const;
export type OperatorCertificateType = (typeof OPERATOR_CERTIFICATE_TYPES)[number];

/** An organisation's Unified Social Credit Code, or an individual's resident ID number. */
export interface OperatorCertificate {
  readonly type: OperatorCertificateType;
  readonly number: string;
}

/** An operator filing for the first time gives its subject sections. */
export interface NewSubject {
  readonly existingSubjectNumber?: undefined;
  readonly operatorCertificate?: undefined;
  readonly operator: Operator;
  readonly operatorPrincipal: Principal;
}

/**
 * An operator that already holds a subject number (e.g. from website filing) may omit its subject
 * sections; it then names the certificate the subject is registered under.
 */
export type ExistingSubject = {
  /** e.g. 粤ICP备2021012345号. */
  readonly existingSubjectNumber: string;
  readonly operatorPrincipal?: Principal;
} & (
  | { readonly operator: Operator; readonly operatorCertificate?: OperatorCertificate }
  | { readonly operator?: undefined; readonly operatorCertificate: OperatorCertificate }
);

export interface AppService {
  readonly serviceType: 'app';
  readonly app: AppDetails;
}

export interface MiniProgramService {
  readonly serviceType: 'mini_program';
  readonly app: MiniProgramDetails;
}

export interface QuickAppService {
  readonly serviceType: 'quick_app';
  readonly app: QuickAppDetails;
}

interface ServiceParts {
  readonly appPrincipal: Principal;
  readonly access: Access;
}

export type RegistrationForm = (NewSubject | ExistingSubject) &
  (AppService | MiniProgramService | QuickAppService) &
  ServiceParts;
