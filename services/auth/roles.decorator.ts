import { SetMetadata } from '@nestjs/common';
import type { TokenRole } from '../../events/auth/token-claims';

export const ROLES_KEY = 'icp:roles';

/** The roles that may call a route (or every route of a controller); others get 403 from `AuthGuard`. */
export const Roles = (...roles: [TokenRole, ...TokenRole[]]) => SetMetadata(ROLES_KEY, roles);
