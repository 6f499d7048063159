import { ConfigError, loadConfig } from './config';

describe('ICP_OPS_PORT', () => {
  it('absent: the worker and projector open no ops listener', () => {
    expect(loadConfig({}, '/srv/icp').ops).toBeUndefined();
    expect(loadConfig({ ICP_OPS_PORT: ' ' }, '/srv/icp').ops).toBeUndefined();
  });

  it('set: the listener on that port, on HOST like the API', () => {
    expect(loadConfig({ ICP_OPS_PORT: '9464' }, '/srv/icp').ops).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ ICP_OPS_PORT: '9464', HOST: '0.0.0.0' }, '/srv/icp').ops).toEqual({
      port: 9464,
      host: '0.0.0.0',
    });
  });

  it('not a port: an error naming the variable and the rule', () => {
    expect(() => loadConfig({ ICP_OPS_PORT: 'metrics' })).toThrow(
      new ConfigError('ICP_OPS_PORT: must be a TCP port between 1 and 65535, got "metrics"'),
    );
    expect(() => loadConfig({ ICP_OPS_PORT: '0' })).toThrow(/^ICP_OPS_PORT: must be a TCP port/);
  });
});
