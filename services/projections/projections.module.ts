import { type DynamicModule, Module } from '@nestjs/common';
import { ProjectorService } from './projector.service';

/**
 * When `project` is set, the projector that feeds the read models in this process. The store
 * itself (READ_MODELS) comes from the composition root.
 */
@Module({})
export class ProjectionsModule {
  static forRoot(options: { project: boolean }): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: options.project ? [ProjectorService] : [],
    };
  }
}
