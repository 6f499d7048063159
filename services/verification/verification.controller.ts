import { Body, Controller, Get, HttpCode, Post, Query, UseGuards } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import type { JsonSchema } from '../../events/form/schema/json-schema';
import { VERIFICATION_STATUSES, type VerificationRequest } from '../../events/registry/verification';
import { AuthGuard } from '../auth/auth.guard';
import { Roles } from '../auth/roles.decorator';
import { ApiRoute } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { problemSchema } from '../http/problem.schema';
import { SignableAnswer } from '../signing/signable-answer.decorator';
import {
  MAX_BATCH_ITEMS,
  parseVerificationBatch,
  parseVerificationItem,
  parseVerificationQuery,
  verificationBatchBody,
  verificationQuery,
} from './verification.requests';
import { type BatchItemResult, type DisplayedAnswer, VerificationService } from './verification.service';

const answerSchema: JsonSchema = {
  type: 'object',
  required: ['status', 'checkedAt'],
  properties: {
    status: {
      type: 'string',
      enum: [...VERIFICATION_STATUSES],
      description:
        '`identifier_mismatch`: the identifier is registered, but under another signing key (or host app); ' +
        'the service named is the registered one, not the app asked about',
    },
    serviceNumber: { type: 'string' },
    serviceName: { type: 'string' },
    operatorName: { type: 'string' },
    checkedAt: { type: 'string', format: 'date-time' },
    display: {
      type: 'object',
      required: ['text', 'lookupUrl'],
      description: 'only when `registered`: what the app and its store listing must show',
      properties: {
        text: { type: 'string', description: 'the service number itself, e.g. 粤ICP备2026000001号-2A' },
        lookupUrl: {
          type: 'string',
          description:
            'the public lookup of the number (`GET /v1/public/services?serviceNumber=…`), relative to this API',
        },
      },
    },
  },
};

const itemErrorsSchema: JsonSchema = {
  type: 'object',
  required: ['errors'],
  properties: { errors: (problemSchema as { properties: { errors: JsonSchema } }).properties.errors },
};

/**
 * Who must check the registry before serving, listing or pre-installing a service, and those who
 * oversee them: ISPs, stores, device makers, bureaus, admins. Anyone can already look numbers up
 * under `/v1/public`; this route answers at the scale of a catalogue and with a verdict.
 */
const VERIFIERS = ['isp', 'store', 'device_maker', 'bureau', 'admin'] as const;

/** Thin: validate (pipes), authorise (guard), hand over to the service. */
@ApiTags('verification')
@Controller('v1/verify')
@UseGuards(AuthGuard)
@Roles(...VERIFIERS)
export class VerificationController {
  constructor(private readonly verification: VerificationService) {}

  @Get()
  @SignableAnswer()
  @ApiRoute({
    bearer: true,
    query: verificationQuery,
    problems: {
      400: 'no identifier, more than one, an unknown parameter, a malformed signature, or a signature or host app without its identifier; errors[] names each',
    },
  })
  @ApiResponse({
    status: 200,
    description: 'whether the service is registered, from public facts only',
    schema: answerSchema,
  })
  check(
    @Query(new ParseBodyPipe(parseVerificationQuery)) request: VerificationRequest,
  ): Promise<DisplayedAnswer> {
    return this.verification.check(request);
  }

  @Post('batch')
  @HttpCode(200)
  @ApiRoute({
    bearer: true,
    body: verificationBatchBody,
    problems: {
      400: `items is not a list of 1 to ${MAX_BATCH_ITEMS} items; errors[] names it; nothing was checked`,
    },
  })
  @ApiResponse({
    status: 200,
    description: 'one result per item, in order: an answer, or errors[] for a malformed item',
    schema: {
      type: 'object',
      required: ['items'],
      properties: { items: { type: 'array', items: { oneOf: [answerSchema, itemErrorsSchema] } } },
    },
  })
  async batch(
    @Body(new ParseBodyPipe(parseVerificationBatch)) body: { items: unknown[] },
  ): Promise<{ items: BatchItemResult[] }> {
    return { items: await this.verification.checkAll(body.items.map(parseVerificationItem)) };
  }
}
