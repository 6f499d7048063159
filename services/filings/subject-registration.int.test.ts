import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RegistrationForm } from '../../events/form/registration-form';
import { validateRegistrationForm } from '../../events/form/validate-form';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import { EXISTING_SUBJECT_OF_FIXTURE, registerImportedSubject } from '../../test/support/registry-subjects';
import { ProblemException } from '../http/problem-details';
import { assertSubjectRegistered } from './subject-registration';

function form(change: (form: Record<string, unknown>) => void = () => undefined): RegistrationForm {
  const input = loadValidForm('valid-existing-subject');
  change(input);
  const result = validateRegistrationForm(input, { submittedOn: '2026-12-07' });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

async function refusalOf(check: Promise<void>) {
  const error = await check.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ProblemException);
  return (error as ProblemException).problem;
}

describe('a subject number named at submission is checked against the registry', () => {
  const directory = mkdtempSync(join(tmpdir(), 'icp-subject-check-'));
  const eventLog = new SqliteEventLog(join(directory, 'events.sqlite'));

  beforeAll(() => registerImportedSubject(eventLog, EXISTING_SUBJECT_OF_FIXTURE));
  afterAll(async () => {
    await eventLog.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('lets through the subject the certificate holds, and a form that names no subject number', async () => {
    await expect(assertSubjectRegistered(eventLog, form())).resolves.toBeUndefined();
    const newSubject = validateRegistrationForm(loadValidForm('valid-app'), { submittedOn: '2026-12-07' });
    if (!newSubject.ok) throw new Error('valid-app does not validate');
    await expect(assertSubjectRegistered(eventLog, newSubject.value)).resolves.toBeUndefined();
  });

  it('refuses with 409 naming existingSubjectNumber when another certificate names the number', async () => {
    const problem = await refusalOf(
      assertSubjectRegistered(
        eventLog,
        form((input) => {
          input.operatorCertificate = { type: 'uscc', number: '91440300MA5G2K8L3X' };
        }),
      ),
    );
    expect(problem).toMatchObject({
      status: 409,
      errors: [{ path: 'existingSubjectNumber', rule: 'subject_number_not_registered' }],
    });
    expect(JSON.stringify(problem)).not.toContain('91440300MA5G2K8L3X');
  });

  it('refuses a number the certificate does not hold, saying which it holds', async () => {
    const problem = await refusalOf(
      assertSubjectRegistered(
        eventLog,
        form((input) => {
          input.existingSubjectNumber = '沪ICP备2021099999号';
        }),
      ),
    );
    expect(problem.errors?.[0]?.message).toContain('holds 沪ICP备2021012345号, not 沪ICP备2021099999号');
  });
});
