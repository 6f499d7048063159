import { randomBetween, runFaultScenario } from './fault-run';

const KILLS = 10;

describe('faults: the worker SIGKILLed at random moments', () => {
  it(`finishes 50 concurrent filings on their paths with the worker killed ${KILLS} times mid-flight`, async () => {
    let killedInFlight = 0;
    const { report, system } = await runFaultScenario({
      name: 'worker',
      seed: 101,
      chaos: async ({ system, driving, pause, progress }) => {
        for (let kill = 0; kill < KILLS; kill += 1) {
          // Let each worker get somewhere (a few appends), then kill it at a random moment.
          await progress(5, 20_000);
          await pause(randomBetween(0, 2_500));
          if (driving()) killedInFlight += 1;
          await system.kill('worker');
          await system.startComponent('worker');
        }
      },
    });
    expect(killedInFlight).toBeGreaterThanOrEqual(KILLS);
    expect(system.count('worker', 'killed')).toBeGreaterThanOrEqual(KILLS);
    expect(report.problems).toEqual([]);
  });
});
