import { createServer } from 'node:net';
import { Body, Controller, Get, Param, Post, UnauthorizedException } from '@nestjs/common';
import {
  ApplicationFailure,
  Client,
  Connection,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { FilingDomainError, type FilingErrorCode } from '../../../events/filing/filing-errors';
import { ValidationProblem } from '../../../services/http/problem-details';

export const SECRET_IN_MESSAGE = 'internal detail 110101199003077777';

const REFUSALS: Record<FilingErrorCode, FilingDomainError> = {
  wrong_stage: new FilingDomainError(
    'wrong_stage',
    "approving the platform review does not fit the filing's current stage bureau_review (bureau_review)",
    { status: 'bureau_review', stage: 'bureau_review' },
  ),
  out_of_scope: new FilingDomainError('out_of_scope', 'the filing is not one of this platform’s'),
  forbidden_role: new FilingDomainError('forbidden_role', 'role applicant may not approve a bureau review'),
  invalid_command: new FilingDomainError('invalid_command', 'reasons are required to reject', {
    field: 'reasons',
    rule: 'required',
  }),
  illegal_transition: new FilingDomainError(
    'illegal_transition',
    'SmsVerified cannot follow status submitted',
    {
      status: 'submitted',
    },
  ),
};

/** Throws each kind of error the HTTP API must turn into a problem. */
@Controller('test')
export class ProblemFixturesController {
  @Get('filings/:id')
  filing(@Param('id') id: string): { id: string } {
    return { id };
  }

  @Post('echo')
  echo(@Body() body: unknown): unknown {
    return body;
  }

  @Get('domain/:code')
  domain(@Param('code') code: FilingErrorCode): never {
    throw REFUSALS[code];
  }

  @Get('update-failure/:code')
  updateFailure(@Param('code') code: string): never {
    const refusal = REFUSALS[code as FilingErrorCode];
    const failure = ApplicationFailure.create({
      type: code,
      message: refusal?.message ?? 'something else went wrong',
      nonRetryable: true,
      details: [refusal?.details ?? {}],
    });
    throw new WorkflowUpdateFailedError('Workflow Update failed', failure);
  }

  @Get('workflow-not-found')
  workflowNotFound(): never {
    throw new WorkflowNotFoundError('workflow not found', 'filing-unknown', undefined);
  }

  @Get('temporal-unavailable')
  async temporalUnavailable(): Promise<void> {
    // Without the default retry interceptor the client gives up at once instead of after ~20 s of backoff.
    const connection = Connection.lazy({ address: `127.0.0.1:${await closedPort()}`, interceptors: [] });
    try {
      await new Client({ connection }).workflow
        .getHandle('filing-x')
        .executeUpdate('anyUpdate', { args: [] });
    } finally {
      await connection.close();
    }
  }

  @Get('validation')
  validation(): never {
    throw new ValidationProblem([
      { path: 'app.name', rule: 'required', message: 'is required' },
      { path: 'operator.uscc', rule: 'charset', message: 'has a character not allowed in a credit code' },
    ]);
  }

  @Get('unauthorized')
  unauthorized(): never {
    throw new UnauthorizedException('a bearer token is required');
  }

  @Get('unexpected')
  unexpected(): never {
    throw new Error(SECRET_IN_MESSAGE);
  }
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}
