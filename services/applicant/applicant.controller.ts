import {
  Body,
  Controller,
  Headers,
  HttpCode,
  HttpStatus,
  Inject,
  Ip,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { SMS_ANSWER_SEALER, type SmsAnswerSealer } from '../tokens';
import { smsVerificationUpdate } from '../../workflows/filing/filing.definitions';
import { FilingsService } from '../filings/filings.service';
import { parseSmsAnswer, smsAnswerBody } from './applicant.requests';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { filingIdPipe, requireIdempotencyKey } from '../http/request-keys';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../http/openapi-operation';
import { ProblemException, problemType } from '../http/problem-details';
import { SmsAnswerRateLimits } from './sms-answer-rate-limits';

const APPLICANT = { role: 'applicant', id: 'public' } as const;

/**
 * The 12381 verification, open to the applicant without an account: guarded by the code, the last six
 * ID characters, the workflow's five-attempt rule and per-filing / per-client rate limits.
 */
@ApiTags('applicant')
@Controller('v1/filings')
export class ApplicantController {
  constructor(
    private readonly filings: FilingsService,
    private readonly rateLimits: SmsAnswerRateLimits,
    @Inject(SMS_ANSWER_SEALER) private readonly answers: SmsAnswerSealer,
  ) {}

  @Post(':id/sms-verification')
  @HttpCode(200)
  @ApiRoute({
    filingId: true,
    body: smsAnswerBody,
    idempotencyKey: 'optional',
    problems: {
      404: 'no such filing',
      409: 'the filing is not waiting for an SMS verification',
      422: 'wrong code or ID characters; attemptsLeft says how many remain',
      429: 'too many attempts for this filing or client',
      503: 'the workflow engine is unavailable; send again with the same Idempotency-Key',
    },
  })
  @ApiResponse({
    status: 200,
    description: 'verified',
    schema: {
      type: 'object',
      required: ['verified', 'status'],
      properties: { verified: { type: 'boolean' }, status: { type: 'string' } },
    },
  })
  async verify(
    @Param('id', filingIdPipe) id: string,
    /** `req.ip`: the client's address as ICP_TRUST_PROXY lets the proxies name it. */
    @Ip() clientIp: string,
    @Body(new ParseBodyPipe(parseSmsAnswer)) answer: { code: string; idLast6: string },
    @Res({ passthrough: true }) response: Response,
    @Headers('idempotency-key') key: string | undefined,
  ): Promise<{ verified: true; status: string }> {
    const wait = await this.rateLimits.secondsToWait(id, clientIp);
    if (wait > 0) {
      response.setHeader('Retry-After', String(wait));
      throw new ProblemException({
        type: problemType('too-many-attempts'),
        title: 'Too many attempts',
        status: HttpStatus.TOO_MANY_REQUESTS,
        detail: `too many verification attempts; retry in ${wait} s`,
      });
    }
    const sealedAnswer = this.answers.seal(answer);
    const result = await this.filings.decide(
      APPLICANT,
      id,
      smsVerificationUpdate,
      [{ actor: APPLICANT, sealedAnswer }],
      this.actionId(id, key, answer),
    );
    if (!result.verified) {
      throw new ProblemException({
        type: problemType('sms-verification-failed'),
        title: 'Verification failed',
        status: HttpStatus.UNPROCESSABLE_ENTITY,
        detail:
          result.attemptsLeft > 0
            ? 'the code or the ID characters do not match'
            : 'the code or the ID characters do not match; no attempts are left and the filing went back to the platform',
        attemptsLeft: result.attemptsLeft,
      });
    }
    return { verified: true, status: result.status.status };
  }

  /**
   * The update id of an answer. With an Idempotency-Key, the same key and answer are the same attempt:
   * a retry after a lost response gets the first attempt's outcome instead of counting as another wrong
   * answer. Keyed with the answer key, so the id (kept in the workflow history) reveals no code.
   */
  private actionId(filingId: string, key: string | undefined, answer: { code: string; idLast6: string }) {
    if (!key?.trim()) return randomUUID();
    const idempotencyKey = requireIdempotencyKey(key);
    const digest = this.answers.keyedDigest([
      'sms-answer',
      filingId,
      idempotencyKey,
      answer.code,
      answer.idLast6,
    ]);
    return `sms-answer:${digest.slice(0, 40)}`;
  }
}
