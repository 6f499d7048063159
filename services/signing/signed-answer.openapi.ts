import type { OpenAPIObject } from '@nestjs/swagger';
import { JOSE_MEDIA_TYPE, SIGNED_ANSWER_TTL_SECONDS } from './signed-answer';
import { SIGNABLE_EXTENSION } from './signable-answer.decorator';

type Operation = Record<string, unknown> & {
  responses?: Record<string, { content?: Record<string, unknown> }>;
};

const SIGNED_CONTENT = {
  schema: {
    type: 'string',
    pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
    description:
      'the JSON answer as a compact JWS (EdDSA, Ed25519; header kid and typ icp-answer+jwt): its payload is ' +
      'the answer’s members with `request` (the method, path and query answered), `iss` icp-registry, `iat` ' +
      `and \`exp\` (${SIGNED_ANSWER_TTL_SECONDS / 3600} hours later); keys at /.well-known/jwks.json`,
  },
};

/** Adds `application/jose` beside `application/json` to the successful answers of every signable operation. */
export function documentSignedAnswers(document: OpenAPIObject): OpenAPIObject {
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem) as Operation[]) {
      if (typeof operation !== 'object' || operation === null || !(SIGNABLE_EXTENSION in operation)) continue;
      delete operation[SIGNABLE_EXTENSION];
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (/^2/.test(status) && response.content?.['application/json'])
          response.content[JOSE_MEDIA_TYPE] = SIGNED_CONTENT;
      }
    }
  }
  return document;
}
