import type { Request } from 'express';
import type { Actor } from '../../events/filing/actor';

/** A request that passed `AuthGuard`, which sets `actor`. */
export interface AuthenticatedRequest extends Request {
  actor?: Actor;
}
