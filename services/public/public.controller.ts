import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import { ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { READ_MODELS } from '../tokens';
import {
  parsePublicLookup,
  parsePublicServices,
  publicLookupQuery,
  type PublicServicesQuery,
  publicServicesQuery,
} from './public.requests';
import {
  type PublicRegistration,
  publicRegistrationOf,
  publicRegistrationSchema,
  type PublicService,
  type PublicSubject,
  publicServiceOf,
  publicServiceSchema,
  publicSubjectOf,
  publicSubjectSchema,
} from './public-registry.view';
import { ApiRoute } from '../http/openapi-operation';
import { genericProblem, ProblemException } from '../http/problem-details';
import { SERVICE_NUMBER_EXAMPLE, SERVICE_NUMBER_PATTERN } from '../http/registration-number-params';
import { type BadgeLanguage, renderBadgeSvg } from './badge-svg';
import { badgeNumberPipe, badgeQuery, parseBadgeQuery } from './badge.requests';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { readPage } from '../http/read-page';
import { SignableAnswer } from '../signing/signable-answer.decorator';
import type { ReadModelQueries } from '../../events/ports/read-models.port';

const NO_SUCH_SERVICE = 'the registry holds no such service';

/** Anyone may look a registration up; the public registry and registry read models hold no personal data. */
@ApiTags('public')
@Controller('v1/public')
export class PublicController {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelQueries) {}

  @Get('registrations')
  @SignableAnswer()
  @ApiRoute({ query: publicLookupQuery, problems: {} })
  @ApiResponse({
    status: 200,
    description:
      'matching public records (number exact; app and operator name by substring, at most 50), ' +
      'cancelled ones too, with their status',
    schema: { type: 'object', properties: { items: { type: 'array', items: publicRegistrationSchema } } },
  })
  async registrations(
    @Query(new ParseBodyPipe(parsePublicLookup))
    query: {
      number?: string;
      appName?: string;
      operatorName?: string;
    },
  ): Promise<{ items: PublicRegistration[] }> {
    return { items: (await this.readModels.findPublic(query)).map(publicRegistrationOf) };
  }

  @Get('registrations/:number/badge.svg')
  @Header('Content-Type', 'image/svg+xml; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=300')
  @Header('Content-Security-Policy', "default-src 'none'")
  @Header('X-Content-Type-Options', 'nosniff')
  @ApiRoute({ query: badgeQuery, problems: { 404: NO_SUCH_SERVICE } })
  @ApiParam({
    name: 'number',
    description: 'the service number (URL-encoded)',
    example: SERVICE_NUMBER_EXAMPLE,
    schema: { type: 'string', pattern: SERVICE_NUMBER_PATTERN },
  })
  @ApiResponse({
    status: 200,
    description: 'the registration as a badge an app or a store listing can show',
    content: {
      'image/svg+xml': {
        schema: {
          type: 'string',
          description:
            'Standalone SVG 1.1, a small rounded rectangle: `ICP备案` (en: `ICP registration`), the number and ' +
            'its status (已备案 / 已注销 / 已停止接入; en: active / cancelled / access withdrawn)',
        },
      },
    },
  })
  async badge(
    @Param('number', badgeNumberPipe) serviceNumber: string,
    @Query(new ParseBodyPipe(parseBadgeQuery)) query: { lang: BadgeLanguage },
  ): Promise<string> {
    const [service] = (await this.readModels.findRegistryServices({ serviceNumber, limit: 1 })).items;
    if (!service) throw new ProblemException(genericProblem(404, NO_SUCH_SERVICE));
    return renderBadgeSvg(service, query.lang);
  }

  @Get('services')
  @SignableAnswer()
  @ApiRoute({ query: publicServicesQuery, problems: {} })
  @ApiResponse({
    status: 200,
    description:
      'registered services matching every given key (name: part of the app or operator name; the others exact), ' +
      'in any status unless `status` is given (a cancelled service is found by its number or identifiers, ' +
      'with its status and date), by subject number then sequence; with subjectNumber and no status, the ' +
      'subject and its active services',
    schema: {
      type: 'object',
      properties: {
        subject: publicSubjectSchema,
        items: { type: 'array', items: publicServiceSchema },
        nextCursor: { type: 'string', description: 'pass as cursor, with the same keys, for the next page' },
      },
    },
  })
  async services(
    @Query(new ParseBodyPipe(parsePublicServices)) query: PublicServicesQuery,
  ): Promise<{ subject?: PublicSubject; items: PublicService[]; nextCursor?: string }> {
    const active = query.subjectNumber && query.status === undefined ? { status: 'active' as const } : {};
    const page = await readPage(() => this.readModels.findRegistryServices({ ...query, ...active }));
    const subject =
      query.subjectNumber === undefined
        ? undefined
        : await this.readModels.registrySubject(query.subjectNumber);
    return {
      ...(subject && { subject: publicSubjectOf(subject) }),
      items: page.items.map(publicServiceOf),
      ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
    };
  }
}
