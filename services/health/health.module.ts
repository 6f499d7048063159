import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { ProbesController } from './probes.controller';

@Module({ controllers: [HealthController, ProbesController], providers: [HealthService] })
export class HealthModule {}
