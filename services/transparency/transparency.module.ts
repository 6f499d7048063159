import { Module } from '@nestjs/common';
import { TransparencyController } from './transparency.controller';
import { TransparencyService } from './transparency.service';

/** The registry's transparency log: signed tree heads and proofs; TREE_HEAD_SIGNER comes from main/. */
@Module({ controllers: [TransparencyController], providers: [TransparencyService] })
export class TransparencyModule {}
