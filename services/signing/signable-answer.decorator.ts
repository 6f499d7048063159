import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiExtension, ApiQuery } from '@nestjs/swagger';
import { SIGNED_ANSWER_TTL_SECONDS } from './signed-answer';
import { SIGNED_PARAMETER, SIGNED_VALUES, SignedAnswerInterceptor } from './signed-answer.interceptor';

/** Marks an operation whose answers may be signed; `documentSignedAnswers` adds their JWS content. */
export const SIGNABLE_EXTENSION = 'x-signable-answer';

/**
 * The route's JSON answer may also be asked for signed (`Accept: application/jose` or `?signed=1`):
 * a compact JWS under the registry's key, checkable offline against `/.well-known/jwks.json`.
 */
export function SignableAnswer(): MethodDecorator {
  return applyDecorators(
    UseInterceptors(SignedAnswerInterceptor),
    ApiQuery({
      name: SIGNED_PARAMETER,
      required: false,
      description:
        'ask for the answer as a compact JWS (`application/jose`, as `Accept: application/jose` does), ' +
        `valid ${SIGNED_ANSWER_TTL_SECONDS / 3600} hours`,
      schema: { type: 'string', enum: [...SIGNED_VALUES] },
    }),
    ApiExtension(SIGNABLE_EXTENSION, true),
  );
}
