import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { READ_MODELS } from '../tokens';
import { parsePublicLookup, publicLookupQuery } from './public.requests';
import { ApiRoute } from '../http/openapi-operation';
import { ParseBodyPipe } from '../http/parse-body.pipe';
import type { PublicRegistryRow, ReadModelQueries } from '../../events/ports/read-models.port';

/** Anyone may look a registration up; the public registry read model holds no personal data. */
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
}
