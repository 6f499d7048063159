import { Global, Module } from '@nestjs/common';
import { createTokenVerifier, type TokenVerifier } from '../../infra/auth/token-verifier';
import type { IcpConfig } from '../../infra/config/config';
import { CONFIG } from '../tokens';
import { AuthGuard } from './auth.guard';
import { TOKEN_VERIFIER } from './auth.tokens';

/**
 * Global so that any controller can say `@UseGuards(AuthGuard)` without importing this module;
 * import it once, next to `InfraModule` (which provides `CONFIG`).
 */
@Global()
@Module({
  providers: [
    {
      provide: TOKEN_VERIFIER,
      inject: [CONFIG],
      useFactory: (config: IcpConfig): TokenVerifier => createTokenVerifier({ dataDir: config.dataDir }),
    },
    AuthGuard,
  ],
  exports: [TOKEN_VERIFIER, AuthGuard],
})
export class AuthModule {}
