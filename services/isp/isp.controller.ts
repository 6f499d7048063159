import { Body, Controller, Headers, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../events/filing/actor';
import {
  SERVICE_NUMBER_EXAMPLE,
  SERVICE_NUMBER_PATTERN,
  serviceNumberPipe,
} from '../http/registration-number-params';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { ApiRoute } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { requireIdempotencyKey } from '../http/request-keys';
import { type AccessWithdrawalView, AccessWithdrawalService } from './access-withdrawal.service';
import { accessWithdrawalBody, parseAccessWithdrawal } from './isp.requests';

const accessWithdrawalSchema = {
  type: 'object',
  required: ['serviceNumber', 'status', 'withdrawal'],
  properties: {
    serviceNumber: { type: 'string' },
    status: {
      type: 'string',
      enum: ['active', 'access_withdrawn'],
      description: '`active` while other ISPs serve it, `access_withdrawn` when none is left',
    },
    withdrawal: {
      type: 'object',
      required: ['withdrawalId', 'ispName', 'reason', 'withdrawnOn'],
      properties: {
        withdrawalId: { type: 'string', format: 'uuid' },
        ispName: { type: 'string' },
        reason: { type: 'string' },
        withdrawnOn: { type: 'string', format: 'date', description: 'China date' },
      },
    },
  },
};

/** Thin: validate (pipes), authorise (guard, role isp), hand over to the service. */
@ApiTags('isp')
@Controller('v1/registry')
@UseGuards(AuthGuard)
export class IspController {
  constructor(private readonly withdrawals: AccessWithdrawalService) {}

  @Post('services/:serviceNumber/access-withdrawals')
  @Roles('isp')
  @HttpCode(201)
  @ApiRoute({
    bearer: true,
    body: accessWithdrawalBody,
    idempotencyKey: 'required',
    problems: {
      400: 'the service number, the reason (1–500 characters) or the Idempotency-Key is invalid; errors[] names each; nothing was written',
      404: 'no such service among the accesses of this ISP; nothing was written',
      409: 'the service is cancelled, this ISP’s access is already withdrawn, or the Idempotency-Key was used for another withdrawal; errors[] names the rule; nothing was written',
      503: 'the workflow engine is unavailable; send again with the same Idempotency-Key',
    },
  })
  @ApiParam({
    name: 'serviceNumber',
    description: 'the service number (URL-encoded): the subject number, `-`, n and the type’s suffix',
    example: SERVICE_NUMBER_EXAMPLE,
    schema: { type: 'string', pattern: SERVICE_NUMBER_PATTERN },
  })
  @ApiResponse({
    status: 201,
    description:
      'the withdrawal is recorded (ServiceAccessWithdrawn) and the applicant notified; the same request again answers the same',
    schema: accessWithdrawalSchema,
  })
  withdrawAccess(
    @CurrentActor() actor: Actor,
    @Param('serviceNumber', serviceNumberPipe) serviceNumber: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parseAccessWithdrawal)) body: { reason: string },
  ): Promise<AccessWithdrawalView> {
    return this.withdrawals.withdraw(actor, serviceNumber, requireIdempotencyKey(key), body.reason);
  }
}
