import { randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import type { Actor } from '../../events/filing/actor';
import type { BureauDecision, PlatformDecision } from '../../events/filing/filing-commands';
import type { FilingStatusView } from '../../events/filing/filing-view';
import {
  bureauReviewUpdate,
  correctionUpdate,
  platformReviewUpdate,
  resubmissionUpdate,
  withdrawalUpdate,
} from '../../workflows/filing/filing.definitions';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { FilingsService } from './filings.service';
import {
  parseBureauReview,
  parseCorrection,
  parsePlatformReview,
  parseReasonsOnly,
} from './filings.requests';
import { ParseBodyPipe } from './parse-body.pipe';
import { SubmissionPipe } from './submission.pipe';

const filingId = new ParseUUIDPipe({ version: '4' });
const actionId = (header: string | undefined): string => header?.trim() || randomUUID();

/** Thin: validate (pipes), authorise (guard), dispatch to the workflow. */
@Controller('v1/filings')
@UseGuards(AuthGuard)
export class FilingsController {
  constructor(private readonly filings: FilingsService) {}

  @Post()
  @Roles('platform')
  @HttpCode(202)
  async submit(
    @CurrentActor() actor: Actor,
    @Headers('idempotency-key') key: string | undefined,
    @Body(SubmissionPipe) form: unknown,
  ): Promise<{ filingId: string; status: string; links: Record<string, string> }> {
    const view = await this.filings.submit(actor, SubmissionPipe.requireKey(key), form);
    const id = view.filingId;
    return {
      filingId: id,
      status: view.status === 'not_submitted' ? 'submitted' : view.status,
      links: { self: `/v1/filings/${id}`, events: `/v1/filings/${id}/events` },
    };
  }

  @Get(':id')
  @Roles('platform', 'bureau', 'auditor')
  get(@CurrentActor() actor: Actor, @Param('id', filingId) id: string): Promise<FilingStatusView> {
    return this.filings.status(actor, id);
  }

  @Get(':id/events')
  @Roles('auditor')
  async events(@Param('id', filingId) id: string) {
    const events = await this.filings.events(id);
    return {
      filingId: id,
      events: events.map((e) => ({
        seq: e.revision,
        id: e.id,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
        hash: (e.metadata as { hash?: string }).hash,
      })),
    };
  }

  @Post(':id/platform-review')
  @Roles('platform')
  @HttpCode(200)
  platformReview(
    @CurrentActor() actor: Actor,
    @Param('id', filingId) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parsePlatformReview)) body: { decision: PlatformDecision; reasons?: string },
  ): Promise<FilingStatusView> {
    return this.filings.decide(actor, id, platformReviewUpdate, [{ actor, ...body }], actionId(key));
  }

  @Post(':id/correction')
  @Roles('platform')
  @HttpCode(200)
  correction(
    @CurrentActor() actor: Actor,
    @Param('id', filingId) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parseCorrection), SubmissionPipe.forCorrection) body: { form: unknown },
  ): Promise<FilingStatusView> {
    return this.filings.decide(actor, id, correctionUpdate, [{ actor, form: body.form }], actionId(key));
  }

  @Post(':id/resubmission')
  @Roles('platform')
  @HttpCode(200)
  resubmission(
    @CurrentActor() actor: Actor,
    @Param('id', filingId) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parseReasonsOnly)) body: { reasons?: string },
  ): Promise<FilingStatusView> {
    return this.filings.decide(actor, id, resubmissionUpdate, [{ actor, ...body }], actionId(key));
  }

  @Post(':id/withdrawal')
  @Roles('platform')
  @HttpCode(200)
  withdrawal(
    @CurrentActor() actor: Actor,
    @Param('id', filingId) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parseReasonsOnly)) body: { reasons?: string },
  ): Promise<FilingStatusView> {
    return this.filings.decide(actor, id, withdrawalUpdate, [{ actor, ...body }], actionId(key));
  }

  @Post(':id/bureau-review')
  @Roles('bureau')
  @HttpCode(200)
  bureauReview(
    @CurrentActor() actor: Actor,
    @Param('id', filingId) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parseBureauReview)) body: { decision: BureauDecision; reasons?: string },
  ): Promise<FilingStatusView> {
    return this.filings.decide(actor, id, bureauReviewUpdate, [{ actor, ...body }], actionId(key));
  }
}
