import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI document at `GET /openapi.json` and Swagger UI at `GET /docs`. */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('ICP filing engine')
    .setDescription('Carries app and mini-program ICP filings from submission to an issued number.')
    .setVersion('1')
    .addBearerAuth()
    .build();
  // Built now rather than on first request, so a controller that cannot be described fails the start.
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    customSiteTitle: 'ICP filing engine API',
  });
}
