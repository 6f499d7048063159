import type { EventLog } from '../../events/ports/event-log.port';
import {
  PROJECTION_NAMES,
  type ProjectionName,
  type ProjectionStore,
} from '../../events/ports/read-models.port';

export interface ProjectionLag {
  projection: ProjectionName;
  /** Log head position − the projection's checkpoint. */
  events: number;
  /** Age of the oldest event not yet applied (when the log recorded it); 0 when caught up. */
  seconds: number;
}

/** How far each projection is behind the log, as the metrics of a projector process report it. */
export async function projectionLag(
  eventLog: EventLog,
  store: ProjectionStore,
  now: () => number = Date.now,
): Promise<ProjectionLag[]> {
  const head = await eventLog.headPosition();
  return Promise.all(
    PROJECTION_NAMES.map(async (projection): Promise<ProjectionLag> => {
      const checkpoint = await store.live(projection).checkpoint();
      if (checkpoint >= head) return { projection, events: 0, seconds: 0 };
      const [oldest] = await eventLog.readAll({ fromPosition: checkpoint, maxCount: 1 });
      const seconds = oldest ? Math.max(0, (now() - Date.parse(oldest.recordedAt)) / 1000) : 0;
      return { projection, events: head - checkpoint, seconds };
    }),
  );
}
