import type { PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ValidationProblem } from '../http/problem-details';
import { SERVICE_NUMBER_EXAMPLE, SERVICE_NUMBER_PATTERN } from '../http/registration-number-params';
import { DATE_PATTERN } from './inventory.requests';

/** What campaign and inspection ids are made of (compliance-streams.ts builds stream ids from them). */
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

/** `:<name>` of a campaign or inspection route: an id, or 400 naming the parameter. */
export function idPipe(name: string): PipeTransform<unknown, Promise<string>> {
  return {
    async transform(value) {
      if (typeof value === 'string' && ID.test(value)) return value;
      throw new ValidationProblem([
        { path: name, rule: 'id', message: `${name} must be 1-64 letters, digits, "_" or "-"` },
      ]);
    },
  };
}

export const campaignIdPipe = idPipe('campaignId');
export const inspectionIdPipe = idPipe('inspectionId');

export const ApiIdParam = (name: string) =>
  ApiParam({ name, description: `the ${name}`, schema: { type: 'string', pattern: ID_PATTERN } });

export const ApiServiceNumberParam = () =>
  ApiParam({
    name: 'serviceNumber',
    description: 'the service number (URL-encoded)',
    example: SERVICE_NUMBER_EXAMPLE,
    schema: { type: 'string', pattern: SERVICE_NUMBER_PATTERN },
  });

export const ApiAsOfParam = () =>
  ApiParam({
    name: 'asOf',
    description: 'the China date swept',
    schema: { type: 'string', format: 'date', pattern: DATE_PATTERN },
  });
