import type { Component } from './fault-system';
import { FAULT_PATHS } from './fault-paths';
import { randomBetween, runFaultScenario } from './fault-run';

/** The two processes at the edges of the system, killed in turn while filings run. */
const KILLS: readonly Component[] = ['api', 'projector', 'api', 'projector', 'api', 'projector'];

describe('faults: the API and the projector SIGKILLed and restarted', () => {
  it('finishes 50 concurrent filings with the API and the projector each killed 3 times; a late retry starts nothing', async () => {
    let killedInFlight = 0;
    const { report, system } = await runFaultScenario({
      name: 'api-projector',
      seed: 202,
      chaos: async ({ system, driving, pause, progress }) => {
        await progress(10, 10_000);
        for (const component of KILLS) {
          if (driving()) killedInFlight += 1;
          await system.kill(component);
          // Down a moment: requests meet a closed port, appends go unprojected.
          await pause(randomBetween(200, 1_200));
          await system.startComponent(component);
          // Paced by the system's progress, not the clock, so every kill lands while filings move.
          await progress(10, 6_000);
          await pause(randomBetween(0, 800));
        }
      },
      // A client whose answer was lost retries its submission long after, when the filing has closed:
      // same key, same body. It must get the same filing back, and no second run may start.
      afterwards: async ({ driver, http, tokens }) => {
        const problems: string[] = [];
        const closed = driver.filings.filter(
          (filing) => filing.filingId && FAULT_PATHS[filing.path].finalStatus !== 'completed',
        );
        for (const filing of closed.slice(0, 5)) {
          const again = await http.send({
            method: 'POST',
            path: '/v1/filings',
            token: tokens.platform(filing.submission.platformId),
            body: filing.submission.form,
            idempotencyKey: driver.keyOf(filing, 'submit'),
          });
          if (again.status !== 202 || again.json.filingId !== filing.filingId) {
            problems.push(
              `late retry of filing #${filing.index}'s submission: ${again.status} ${String(again.json.filingId)}`,
            );
          }
        }
        return problems;
      },
    });
    expect(killedInFlight).toBeGreaterThanOrEqual(KILLS.length);
    expect(system.count('api', 'killed')).toBeGreaterThanOrEqual(3);
    expect(system.count('projector', 'killed')).toBeGreaterThanOrEqual(3);
    expect(report.problems).toEqual([]);
  });
});
