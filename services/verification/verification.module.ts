import { Module } from '@nestjs/common';
import { VerificationController } from './verification.controller';
import { VerificationService } from './verification.service';

/** Third parties (ISPs, stores, device makers) ask the registry whether an app or site is registered. */
@Module({ controllers: [VerificationController], providers: [VerificationService] })
export class VerificationModule {}
