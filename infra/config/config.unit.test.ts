import { ConfigError, describeWorkerTuning, loadConfig, WORKER_TUNING_DEFAULTS } from './config';

describe('one configuration for every entry point', () => {
  it('defaults to the embedded system under ./data', () => {
    const config = loadConfig({}, '/srv/icp');

    expect(config.dataDir).toBe('/srv/icp/data');
    expect(config.http.port).toBe(3000);
    expect(config.temporal).toMatchObject({
      mode: 'embedded',
      address: '127.0.0.1:7233',
      devServerPort: 7233,
      uiPort: 8233,
      namespace: 'default',
    });
    expect(config.eventLog.url).toBe('sqlite:/srv/icp/data/events.sqlite');
  });

  it('moves the dev server and the event log with the environment', () => {
    const config = loadConfig({ ICP_DATA_DIR: 'state', TEMPORAL_PORT: '7400', PORT: '8080' }, '/srv/icp');

    expect(config.temporal.address).toBe('127.0.0.1:7400');
    expect(config.http.port).toBe(8080);
    expect(config.eventLog.url).toBe('sqlite:/srv/icp/state/events.sqlite');
  });

  it('uses a cluster, and starts no dev server, when TEMPORAL_ADDRESS is set', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal.prod:7233', TEMPORAL_NAMESPACE: 'icp' });

    expect(config.temporal).toMatchObject({
      mode: 'cluster',
      address: 'temporal.prod:7233',
      namespace: 'icp',
    });
  });

  it('names the variable and the rule when a port is not a port', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(
      new ConfigError('PORT: must be a TCP port between 1 and 65535, got "eighty"'),
    );
    expect(() => loadConfig({ TEMPORAL_UI_PORT: '70000' })).toThrow(/TEMPORAL_UI_PORT/);
  });
});

describe('DATABASE_URL', () => {
  it('keeps the embedded SQLite stores when absent or empty', () => {
    expect(loadConfig({}).database).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: '  ' }).database).toBeUndefined();
  });

  it('moves the shared stores to PostgreSQL when set', () => {
    const url = 'postgres://icp:secret@db.example:5432/icp';
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({ url });
    expect(loadConfig({ DATABASE_URL: 'postgresql://db.example/icp' }).database).toEqual({
      url: 'postgresql://db.example/icp',
    });
  });

  it('refuses a malformed one in one line naming the variable, never repeating its value', () => {
    for (const bad of ['mysql://icp:secret@db/icp', 'postgres://icp:secret@', 'secret-but-not-a-url']) {
      let error: unknown;
      try {
        loadConfig({ DATABASE_URL: bad });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/^DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
      expect(message).not.toContain('secret');
      expect(message).not.toContain('\n');
    }
  });
});

describe('worker memory and concurrency', () => {
  it('bounds the workflow cache and concurrency by default, for a 2-core, 4 GiB host', () => {
    expect(loadConfig({}).worker).toEqual(WORKER_TUNING_DEFAULTS);
    expect(WORKER_TUNING_DEFAULTS.workflowTasks).toBeLessThanOrEqual(WORKER_TUNING_DEFAULTS.cachedWorkflows);
  });

  it('takes each from its variable', () => {
    const worker = loadConfig({
      ICP_WORKER_CACHE_WORKFLOWS: '1000',
      ICP_WORKER_WORKFLOW_TASKS: '40',
      ICP_WORKER_ACTIVITIES: '100',
    }).worker;
    expect(worker).toEqual({ cachedWorkflows: 1000, workflowTasks: 40, activities: 100 });
    expect(describeWorkerTuning(worker)).toBe(
      'caches 1000 workflows; 40 workflow tasks and 100 activities at once',
    );
  });

  it('runs with no cache at all (every workflow task replays its history)', () => {
    const worker = loadConfig({ ICP_WORKER_CACHE_WORKFLOWS: '0', ICP_WORKER_WORKFLOW_TASKS: '60' }).worker;
    expect(worker).toMatchObject({ cachedWorkflows: 0, workflowTasks: 60 });
    expect(describeWorkerTuning(worker)).toMatch(/^no workflow cache;/);
  });

  it('keeps the default task limit within a small cache', () => {
    expect(loadConfig({ ICP_WORKER_CACHE_WORKFLOWS: '5' }).worker.workflowTasks).toBe(5);
  });

  it('names the variable and the rule for a value that is not a whole number in range', () => {
    expect(() => loadConfig({ ICP_WORKER_CACHE_WORKFLOWS: 'lots' })).toThrow(
      new ConfigError('ICP_WORKER_CACHE_WORKFLOWS: must be a whole number from 0 to 1000000, got "lots"'),
    );
    expect(() => loadConfig({ ICP_WORKER_ACTIVITIES: '0' })).toThrow(
      new ConfigError('ICP_WORKER_ACTIVITIES: must be a whole number from 1 to 10000, got "0"'),
    );
    expect(() => loadConfig({ ICP_WORKER_WORKFLOW_TASKS: '2.5' })).toThrow(/^ICP_WORKER_WORKFLOW_TASKS: /);
    expect(() => loadConfig({ ICP_WORKER_CACHE_WORKFLOWS: '1' })).toThrow(
      new ConfigError('ICP_WORKER_CACHE_WORKFLOWS: must be 0 (no cache) or at least 2, got "1"'),
    );
  });

  it('refuses more workflow tasks at once than the cache holds, which the SDK would quietly lower', () => {
    expect(() => loadConfig({ ICP_WORKER_CACHE_WORKFLOWS: '10', ICP_WORKER_WORKFLOW_TASKS: '20' })).toThrow(
      new ConfigError(
        'ICP_WORKER_WORKFLOW_TASKS: must not exceed ICP_WORKER_CACHE_WORKFLOWS (10) unless that is 0, got "20"',
      ),
    );
  });
});
