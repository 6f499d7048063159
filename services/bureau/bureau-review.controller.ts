import { Body, Controller, Headers, HttpCode, Param, Post, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../events/filing/actor';
import type { BureauDecision } from '../../events/filing/filing-commands';
import type { FilingStatusView } from '../../events/filing/filing-view';
import { bureauReviewUpdate } from '../../workflows/filing/filing.definitions';
import { AuthGuard } from '../auth/auth.guard';
import { CurrentActor } from '../auth/current-actor.decorator';
import { Roles } from '../auth/roles.decorator';
import { ApiDecision } from '../filings/filing.responses';
import type { ReviewBody } from '../filings/filings.requests';
import { FilingsService } from '../filings/filings.service';
import { RevisionETag } from '../filings/revision-etag.interceptor';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { filingIdPipe } from '../http/request-keys';
import { bureauReviewBody, parseBureauReview } from './bureau.requests';

/** The bureau's decision on a filing of its province, sent to the filing's workflow. */
@ApiTags('bureau')
@Controller('v1/filings')
@UseGuards(AuthGuard)
@UseInterceptors(RevisionETag)
export class BureauReviewController {
  constructor(private readonly filings: FilingsService) {}

  @Post(':id/bureau-review')
  @ApiDecision(bureauReviewBody)
  @Roles('bureau')
  @HttpCode(200)
  bureauReview(
    @CurrentActor() actor: Actor,
    @Param('id', filingIdPipe) id: string,
    @Headers('idempotency-key') key: string | undefined,
    @Body(new ParseBodyPipe(parseBureauReview)) body: ReviewBody<BureauDecision>,
  ): Promise<FilingStatusView> {
    return this.filings.decideOnce(actor, id, bureauReviewUpdate, [{ actor, ...body }], key);
  }
}
