import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { postgresBinDir } from './postgres-cluster';

describe('the test PostgreSQL cluster', () => {
  it("fails, naming Debian's postgresql, when initdb and pg_ctl are nowhere", () => {
    expect(() => postgresBinDir('/nonexistent/postgresql', 'no-such-pg_config')).toThrow(
      /initdb, pg_ctl\) not found under \/nonexistent\/postgresql\/\*\/bin: install Debian's postgresql/,
    );
  });

  it('finds the server binaries on this machine', () => {
    const bin = postgresBinDir();
    expect(existsSync(join(bin, 'initdb'))).toBe(true);
    expect(existsSync(join(bin, 'pg_ctl'))).toBe(true);
  });
});
