import type { ReadModelProjections, ReadModelStore } from '../../events/ports/read-models.port';
import { describeFilingViewContract } from './read-models/filing-view.contract';
import { describeProjectorContract } from './read-models/projector.contract';
import { describeRebuildContract } from './read-models/rebuild.contract';
import { describeRegistryContract } from './read-models/registry.contract';

export interface ReadModelsFixture {
  /** A store on the fixture's storage, with a connection of its own (as another process would have). */
  open(projections: ReadModelProjections): Promise<ReadModelStore>;
  /**
   * Runs one SQL statement on the storage behind the stores' backs (`?` placeholders), to look at
   * or alter rows the port does not show; answers the rows a query returns.
   */
  sql(statement: string, ...params: readonly (string | number)[]): Promise<Record<string, unknown>[]>;
  /** Removes the storage; every store the suite opened has been closed by then. */
  cleanup(): Promise<void>;
}

/**
 * The behaviour every ReadModelStore backend must show, driven as in production: the projector and
 * rebuilds over a real SQLite event log, the pure projections supplied by the caller's composition.
 */
export function describeReadModelsContract(
  backendName: string,
  open: () => Promise<ReadModelsFixture>,
): void {
  describeProjectorContract(backendName, open);
  describeFilingViewContract(backendName, open);
  describeRebuildContract(backendName, open);
  describeRegistryContract(backendName, open);
}
