import { creditCodeCheckCharacter } from '../../events/identity/credit-code';
import { gb11643CheckCharacter } from '../../events/identity/resident-id';

/** Subjects for `icp registry import` files: valid, distinct certificates and numbers by index. */

/** A valid USCC, distinct for each index below 10^9. */
export function uscc(index: number): string {
  const first17 = `91440300${String(index).padStart(9, '0')}`;
  return first17 + creditCodeCheckCharacter(first17);
}

/** A valid resident ID of a person born 1990-01-01 in Shenzhen, distinct for each index below 1000. */
export function residentId(index: number): string {
  const first17 = `44030019900101${String(index).padStart(3, '0')}`;
  return first17 + gb11643CheckCharacter(first17);
}

export interface ImportWebsiteLine {
  serviceNumber: string;
  name: string;
  domains: string[];
  approvedOn: string;
}

export interface ImportSubjectLine {
  certificateType: 'uscc' | 'resident_id';
  certificateNumber: string;
  operatorName: string;
  operatorNature: string;
  subjectNumber: string;
  websites: ImportWebsiteLine[];
}

/** An organisation holding `粤ICP备2021<index+1, six digits>号` and one website `-1` (every 7th: two). */
export function organisationLine(index: number): ImportSubjectLine {
  const subjectNumber = `粤ICP备2021${String(index + 1).padStart(6, '0')}号`;
  const websites = [website(subjectNumber, 1, `site-${index}.example.cn`)];
  if (index % 7 === 0) websites.push(website(subjectNumber, 3, `shop-${index}.example.cn`));
  return {
    certificateType: 'uscc',
    certificateNumber: uscc(index),
    operatorName: `示例科技有限公司 ${index}`,
    operatorNature: 'enterprise',
    subjectNumber,
    websites,
  };
}

export function website(subjectNumber: string, n: number, domain: string): ImportWebsiteLine {
  return {
    serviceNumber: `${subjectNumber}-${n}`,
    name: `网站 ${domain}`,
    domains: [domain],
    approvedOn: '2021-06-01',
  };
}
