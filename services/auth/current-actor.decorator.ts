import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '../../events/filing/actor';
import type { AuthenticatedRequest } from './authenticated-request';

/** The actor `AuthGuard` authenticated; a route using it without the guard is a programming error. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('@CurrentActor() needs @UseGuards(AuthGuard) on the route or controller');
  return actor;
});
