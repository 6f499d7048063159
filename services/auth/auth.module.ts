import { Global, Module } from '@nestjs/common';
import { AuthGuard } from './auth.guard';

/**
 * Global so that any controller can say `@UseGuards(AuthGuard)` without importing this module.
 * `TOKEN_VERIFIER` comes from the adapters the composition root binds.
 */
@Global()
@Module({ providers: [AuthGuard], exports: [AuthGuard] })
export class AuthModule {}
