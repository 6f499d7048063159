import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import type { ProjectionLease } from '../../events/ports/projection-lease.port';
import { PROJECTION_LEASE, PROJECTOR_STATUS } from '../tokens';
import { EXTERNAL_PROJECTOR, ProjectorService } from './projector.service';

/**
 * When `project` is set, the projector that feeds the read models in this process, behind `lease`
 * when one is given (several processes on one database); PROJECTOR_STATUS says what it does. The
 * store itself (READ_MODELS) comes from the composition root.
 */
@Module({})
export class ProjectionsModule {
  static forRoot(options: { project: boolean; lease?: () => ProjectionLease | undefined }): DynamicModule {
    const providers: Provider[] = options.project
      ? [
          ProjectorService,
          { provide: PROJECTION_LEASE, useFactory: options.lease ?? (() => undefined) },
          { provide: PROJECTOR_STATUS, useExisting: ProjectorService },
        ]
      : [{ provide: PROJECTOR_STATUS, useValue: EXTERNAL_PROJECTOR }];
    return { module: ProjectionsModule, global: true, providers, exports: [PROJECTOR_STATUS] };
  }
}
