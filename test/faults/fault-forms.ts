import type { ProvinceCode } from '../../events/provinces';
import { formatSubjectNumber } from '../../events/registration-number';
import { uuidv5 } from '../../events/ids';
import { generateSubmission, type JsonForm } from '../support/generated-forms';
import { withDistinctIdentifiers } from '../support/distinct-identifiers';
import { SeededRandom } from '../support/seeded-random';

/**
 * Forms for fault runs: the generator's valid fixtures with a unique Chinese app name and operator
 * per filing, and — so each applicant's 12381 code can be told apart in the outbox — a mobile of
 * their own. Everything is synthetic (valid check characters, no real person).
 */
export interface FaultSubmission {
  readonly index: number;
  readonly platformId: string;
  readonly form: JsonForm;
  readonly mobile: string;
  /** The second factor of the SMS check: the app principal's ID number, last six characters. */
  readonly idLast6: string;
}

export function faultSubmission(index: number, seed: number): FaultSubmission {
  const random = new SeededRandom(seed, index);
  const submission = generateSubmission({
    index,
    seed,
    filingId: uuidv5(`fault-filing:${seed}:${index}`),
    random,
    existingSubjectNumber: (province: ProvinceCode) =>
      formatSubjectNumber({ provinceCode: province, year: 2021, sequence: 100_000 + index }),
  });
  // A service of its own: a package name already in another filing is refused at submission.
  const form = withDistinctIdentifiers(submission.form, `f${seed}x${index}`);
  const principal = form.appPrincipal as JsonForm;
  // 1 + [3-9] + 9 digits: a well-formed mainland mobile, distinct per filing of a run.
  const mobile = `137${String(seed % 1_000).padStart(3, '0')}${String(index).padStart(5, '0')}`;
  principal.mobile = mobile;
  return {
    index,
    platformId: submission.platformId,
    form,
    mobile,
    idLast6: String(principal.idNumber).slice(-6).toUpperCase(),
  };
}
