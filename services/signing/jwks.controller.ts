import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiRoute } from '../http/openapi-operation';
import { type PublicJwk, publicJwks } from './signed-answer';
import { REGISTRY_SIGNING_KEYS, type RegistrySigningKeys } from './signing.tokens';

/** Caches may keep the key set an hour: a key is published a day before it signs (README, rotation). */
const JWKS_CACHE_CONTROL = 'public, max-age=3600';

const jwkSchema = {
  type: 'object',
  properties: {
    kty: { type: 'string', enum: ['OKP'] },
    crv: { type: 'string', enum: ['Ed25519'] },
    x: { type: 'string', description: 'the public key, base64url' },
    kid: { type: 'string' },
    alg: { type: 'string', enum: ['EdDSA'] },
    use: { type: 'string', enum: ['sig'] },
  },
  required: ['kty', 'crv', 'x', 'kid', 'alg', 'use'],
};

/** The registry's public signing keys, for checking signed answers (anyone, offline). */
@ApiTags('public')
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(REGISTRY_SIGNING_KEYS) private readonly signing: RegistrySigningKeys) {}

  @Get('jwks.json')
  @Header('Cache-Control', JWKS_CACHE_CONTROL)
  @ApiRoute({ problems: {} })
  @ApiResponse({
    status: 200,
    description:
      'the registry’s Ed25519 public keys as a JWK Set: the one that signs and those whose answers may still be valid',
    schema: { type: 'object', properties: { keys: { type: 'array', items: jwkSchema } }, required: ['keys'] },
  })
  jwks(): { keys: PublicJwk[] } {
    return publicJwks(this.signing);
  }
}
