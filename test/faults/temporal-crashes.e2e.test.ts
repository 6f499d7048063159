import { randomBetween, runFaultScenario } from './fault-run';

const KILLS = 3;

describe('faults: the Temporal dev server SIGKILLed and restarted on its persisted database', () => {
  it(`finishes 50 concurrent filings with Temporal killed ${KILLS} times mid-flight`, async () => {
    let killedInFlight = 0;
    const { report, system } = await runFaultScenario({
      name: 'temporal',
      seed: 404,
      chaos: async ({ system, driving, pause, progress }) => {
        await progress(20, 10_000);
        for (let kill = 0; kill < KILLS; kill += 1) {
          if (driving()) killedInFlight += 1;
          await system.kill('temporal');
          await pause(randomBetween(500, 3_000)); // down: the API answers 503, the worker reconnects
          await system.startComponent('temporal');
          // Paced by the system's progress after it is back, so every kill lands while filings move.
          await progress(30, 15_000);
          await pause(randomBetween(0, 2_000));
        }
      },
    });
    expect(killedInFlight).toBeGreaterThanOrEqual(KILLS);
    expect(system.count('temporal', 'killed')).toBeGreaterThanOrEqual(KILLS);
    expect(report.problems).toEqual([]);
  });
});
