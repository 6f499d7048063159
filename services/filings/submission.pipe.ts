import { Injectable, type PipeTransform } from '@nestjs/common';
import { validateRegistrationForm } from '../../events/form/validate-form';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import { ValidationProblem } from '../http/problem-details';
import { requireIdempotencyKey } from '../http/request-keys';

function validForm(form: unknown, prefix: string): unknown {
  const result = validateRegistrationForm(form, { submittedOn: chinaDateOfEpochMs(Date.now()) });
  if (!result.ok) {
    throw new ValidationProblem(
      result.errors.map((e) => ({ ...e, path: prefix ? `${prefix}.${e.path}` : e.path })),
      `the registration form has ${result.errors.length} error(s); nothing was started`,
    );
  }
  return form;
}

/** The whole body is the registration form: every error at once, nothing started. */
@Injectable()
export class SubmissionPipe implements PipeTransform<unknown, unknown> {
  transform(form: unknown): unknown {
    return validForm(form, '');
  }

  static requireKey(key: string | undefined): string {
    return requireIdempotencyKey(key);
  }

  static readonly forCorrection: PipeTransform<{ form: unknown }, { form: unknown }> = {
    transform: (body) => ({ form: validForm(body.form, 'form') }),
  };
}
