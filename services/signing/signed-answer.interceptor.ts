import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, type Observable, switchMap } from 'rxjs';
import { ValidationProblem } from '../http/problem-details';
import { choiceField, type FieldError } from '../http/request-fields';
import { type AnsweredRequest, JOSE_MEDIA_TYPE, signAnswer } from './signed-answer';
import { REGISTRY_SIGNING_KEYS, type RegistrySigningKeys } from './signing.tokens';

/** `?signed=1` (or `true`) asks for a signed answer, as `Accept: application/jose` does. */
export const SIGNED_PARAMETER = 'signed';
export const SIGNED_VALUES = ['1', 'true'] as const;
const signedField = choiceField(SIGNED_VALUES);

/**
 * Answers with the route's JSON answer as a compact JWS under the registry's current key when the
 * request asks for it. Runs before the route's pipes and takes `signed` out of the query they see.
 * Only answers are signed: a refusal propagates as the problem it is.
 */
@Injectable()
export class SignedAnswerInterceptor implements NestInterceptor {
  constructor(@Inject(REGISTRY_SIGNING_KEYS) private readonly signing: RegistrySigningKeys) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    response.vary('Accept');
    if (!mayAskForSignature(request)) return next.handle();
    const { signed, query } = takeSignedParameter(request);
    if (!signed && request.accepts(['application/json', JOSE_MEDIA_TYPE]) !== JOSE_MEDIA_TYPE)
      return next.handle();
    const answered: AnsweredRequest = { method: request.method, path: request.path, query };
    return next.handle().pipe(
      switchMap((answer) =>
        from(
          signAnswer(answer, answered, this.signing).then((jws) => {
            response.type(JOSE_MEDIA_TYPE);
            return jws;
          }),
        ),
      ),
    );
  }
}

const JOSE_IN_ACCEPT = /jose/i;
/** A percent-escape of an ASCII letter (`%73` is `s`); a CJK value's UTF-8 escapes (`%E7…`) are not. */
const ESCAPED_LETTER = /%[4-7][0-9a-f]/i;

/**
 * False when the request surely asks for no signature, read off the raw URL and header: most answers
 * are unsigned, and parsing the query (Express parses it anew on each read) or negotiating `Accept`
 * per request costs. A query naming `signed` or escaping a letter (`%73igned`) takes the full path.
 */
function mayAskForSignature(request: Request): boolean {
  const accept = request.headers.accept;
  if (accept !== undefined && JOSE_IN_ACCEPT.test(accept)) return true;
  const queryAt = request.url.indexOf('?');
  if (queryAt < 0) return false;
  const query = request.url.slice(queryAt + 1);
  return query.includes(SIGNED_PARAMETER) || ESCAPED_LETTER.test(query);
}

/** Whether `signed` asks for a signature; the query without it replaces the request's (a 400 names a bad value). */
function takeSignedParameter(request: Request): { signed: boolean; query: AnsweredRequest['query'] } {
  const { [SIGNED_PARAMETER]: given, ...query } = request.query as Record<string, string | string[]>;
  if (given === undefined) return { signed: false, query };
  const errors: FieldError[] = [];
  signedField.read(given, SIGNED_PARAMETER, errors);
  if (errors.length > 0) throw new ValidationProblem(errors);
  // Express 5 parses `query` anew on each read: an own property is what the route's pipes then see.
  Object.defineProperty(request, 'query', {
    value: query,
    configurable: true,
    enumerable: true,
    writable: true,
  });
  return { signed: true, query };
}
