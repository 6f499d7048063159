import { Module } from '@nestjs/common';
import { PublicController } from './public.controller';

/** The public lookup of registrations, from the public registry read model. */
@Module({ controllers: [PublicController] })
export class PublicModule {}
