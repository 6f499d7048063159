import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { documentSignedAnswers } from '../signing/signed-answer.openapi';

const DESCRIPTION = [
  'Carries app and mini-program ICP filings from submission to an issued number.',
  'Request schemas are derived from the declarations the server validates with (the registration',
  'form engine and the request parsers). Rules no JSON Schema states are named as `format`s',
  '(check digits, dates counted from the submission day, public IP addresses, page cursors) and',
  'decided by the server. Every error is `application/problem+json`; a method a path does not have',
  'is answered 405 with `Allow`.',
].join(' ');

/** The OpenAPI 3.1 document at `GET /openapi.json` and Swagger UI at `GET /docs`. */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('ICP filing engine')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addBearerAuth()
    .build();
  // Built now rather than on first request, so a controller that cannot be described fails the start.
  const document = documentSignedAnswers(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    customSiteTitle: 'ICP filing engine API',
  });
}
