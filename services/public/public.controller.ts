import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { READ_MODELS } from '../tokens';
import {
  parsePublicLookup,
  parsePublicServices,
  publicLookupQuery,
  type PublicServicesQuery,
  publicServicesQuery,
} from './public.requests';
import {
  type PublicService,
  type PublicSubject,
  publicServiceOf,
  publicServiceSchema,
  publicSubjectOf,
  publicSubjectSchema,
} from './public-registry.view';
import { ApiRoute } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import { readPage } from '../http/read-page';
import type { PublicRegistryRow, ReadModelQueries } from '../../events/ports/read-models.port';

/** Anyone may look a registration up; the public registry and registry read models hold no personal data. */
@ApiTags('public')
@Controller('v1/public')
export class PublicController {
  constructor(@Inject(READ_MODELS) private readonly readModels: ReadModelQueries) {}

  @Get('registrations')
  @ApiRoute({ query: publicLookupQuery, problems: {} })
  @ApiResponse({
    status: 200,
    description: 'matching public records (number exact; app and operator name by substring, at most 50)',
    schema: {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              registrationNumber: { type: 'string' },
              appName: { type: 'string' },
              serviceType: { type: 'string' },
              operatorName: { type: 'string' },
              province: { type: 'string' },
              publishedAt: { type: 'string', format: 'date-time' },
            },
          },
        },
      },
    },
  })
  async registrations(
    @Query(new ParseBodyPipe(parsePublicLookup))
    query: {
      number?: string;
      appName?: string;
      operatorName?: string;
    },
  ): Promise<{ items: PublicRegistryRow[] }> {
    return { items: await this.readModels.findPublic(query) };
  }

  @Get('services')
  @ApiRoute({ query: publicServicesQuery, problems: {} })
  @ApiResponse({
    status: 200,
    description:
      'registered services matching every given key (name: part of the app or operator name; the others exact), ' +
      'by subject number then sequence; with subjectNumber, the subject and its active services',
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
    const active = query.subjectNumber ? { status: 'active' as const } : {};
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
