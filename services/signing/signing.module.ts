import { Module } from '@nestjs/common';
import { JwksController } from './jwks.controller';

/** The registry's published signing keys; routes opt into signed answers with `@SignableAnswer()`. */
@Module({ controllers: [JwksController] })
export class SigningModule {}
