import { isDatabaseUrl, redactDatabaseUrl } from './database-url';

describe('DATABASE_URL', () => {
  it('accepts postgres:// and postgresql:// URLs with a host (or a host parameter)', () => {
    expect(isDatabaseUrl('postgres://icp:secret@db.example:5432/icp')).toBe(true);
    expect(isDatabaseUrl('postgresql://db.example/icp?sslmode=require')).toBe(true);
    expect(isDatabaseUrl('postgres://127.0.0.1:5432/icp')).toBe(true);
    expect(isDatabaseUrl('postgres:///icp?host=/var/run/postgresql')).toBe(true);
  });

  it('refuses other schemes, a missing host and what does not parse', () => {
    expect(isDatabaseUrl('mysql://db.example/icp')).toBe(false);
    expect(isDatabaseUrl('sqlite:/data/api.sqlite')).toBe(false);
    expect(isDatabaseUrl('postgres:///icp')).toBe(false);
    expect(isDatabaseUrl('db.example:5432')).toBe(false);
    expect(isDatabaseUrl('postgres://db.example:port/icp')).toBe(false);
  });

  it('never shows credentials', () => {
    expect(redactDatabaseUrl('postgres://icp:s3cr%2Fet@db.example:5432/icp?sslmode=require')).toBe(
      'postgres://***@db.example:5432/icp?sslmode=require',
    );
    expect(redactDatabaseUrl('postgresql://icp@db.example/icp')).toBe('postgresql://***@db.example/icp');
    expect(redactDatabaseUrl('postgres://db.example/icp?user=icp&password=hunter2&sslmode=require')).toBe(
      'postgres://db.example/icp?user=icp&password=***&sslmode=require',
    );
    expect(redactDatabaseUrl('postgres://db.example/icp')).toBe('postgres://db.example/icp');
  });
});
