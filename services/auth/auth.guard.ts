import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import type { Actor } from '../../events/filing/actor';
import { AuthenticationError } from '../../events/auth/authentication-error';
import type { TokenRole } from '../../events/auth/token-claims';
import type { TokenVerifier } from './token-verifier.port';
import { TOKEN_VERIFIER } from './auth.tokens';
import { cachedTokenVerifier } from './cached-token-verifier';
import type { AuthenticatedRequest } from './authenticated-request';
import { ROLES_KEY } from './roles.decorator';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

/**
 * Authenticates `Authorization: Bearer <JWT>` (401 when missing or not acceptable), sets
 * `request.actor`, then authorises against `@Roles(…)` (403); without `@Roles` any role may pass.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** Accepted tokens are remembered until they expire: verifying a signature per request costs. */
  private readonly verifier: TokenVerifier;

  constructor(
    @Inject(TOKEN_VERIFIER) verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {
    this.verifier = cachedTokenVerifier(verifier);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const actor = await this.authenticate(request.headers.authorization, http.getResponse<Response>());
    request.actor = actor;

    const roles = this.reflector.getAllAndOverride<readonly TokenRole[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (roles && !(roles as readonly string[]).includes(actor.role)) {
      throw new ForbiddenException({
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
        detail: `role ${actor.role} may not call this route`,
      });
    }
    return true;
  }

  private async authenticate(header: string | undefined, response: Response): Promise<Actor> {
    if (header === undefined) throw unauthorized(response, 'Bearer', 'missing Authorization: Bearer token');
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) {
      throw unauthorized(
        response,
        'Bearer error="invalid_request"',
        'Authorization header must be "Bearer <token>"',
      );
    }
    try {
      return await this.verifier.verify(token);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      throw unauthorized(response, 'Bearer error="invalid_token"', error.message);
    }
  }
}

/** RFC 6750 §3: a 401 names the scheme to use and, when a token was sent, what was wrong with it. */
function unauthorized(response: Response, challenge: string, detail: string): UnauthorizedException {
  response.setHeader('WWW-Authenticate', challenge);
  return new UnauthorizedException({ type: 'about:blank', title: 'Unauthorized', status: 401, detail });
}
