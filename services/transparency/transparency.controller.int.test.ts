import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHash } from '../../events/registry/transparency/merkle-hash';
import { verifyConsistency, verifyInclusion } from '../../events/registry/transparency/merkle-proofs';
import { SqliteEventLog } from '../../infra/event-log/sqlite/sqlite-event-log';
import { treeHeadSignerOf } from '../../main/api/tree-head-signer';
import { parseRegistrySigningKeys } from '../../infra/secrets/registry-signing-key';
import { writeRegistry } from '../../test/support/audit/registry-fixture';
import { appendRegistrySubjects } from '../../test/support/audit/transparency-registry';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import { EVENT_LOG, TREE_HEAD_SIGNER } from '../tokens';
import type { ConsistencyProofAnswer, InclusionProofAnswer } from './transparency-proofs';
import { TransparencyController } from './transparency.controller';
import { TransparencyService } from './transparency.service';
import { TRANSPARENCY_REFRESH_MS } from './transparency.tokens';
import { type SignedTreeHead, treeHeadSignedBy } from './tree-head';

const hash = (text: string) => parseHash(text) as Uint8Array;

describe('GET /v1/transparency/…: the registry’s signed tree head and proofs, over a real SQLite log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'icp-transparency-http-'));
  const log = new SqliteEventLog(join(dir, 'events.sqlite'));
  const signer = treeHeadSignerOf(
    parseRegistrySigningKeys({ ICP_REGISTRY_SIGNING_KEYS: `test=${randomBytes(32).toString('hex')}` })!,
  );
  let server: HttpTestApp;

  async function get<T>(path: string): Promise<{ status: number; type: string; body: T }> {
    const response = await fetch(server.url(path));
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, type, body: (await response.json()) as T };
  }

  /** The signed head, once the background refresh has signed one of at least `size` leaves. */
  async function headOfAtLeast(size: number): Promise<SignedTreeHead> {
    for (;;) {
      const { body } = await get<SignedTreeHead>('/v1/transparency/sth');
      if (body.treeSize >= size) return body;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  beforeAll(async () => {
    await writeRegistry(log);
    await appendRegistrySubjects(log, 25);
    server = await startHttpTestApp({
      controllers: [TransparencyController],
      providers: [
        TransparencyService,
        { provide: EVENT_LOG, useValue: log },
        { provide: TREE_HEAD_SIGNER, useValue: signer },
        { provide: TRANSPARENCY_REFRESH_MS, useValue: 20 },
      ],
    });
  });

  afterAll(async () => {
    await server?.close();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs the head, proves a leaf by index or hash, and proves the grown tree consistent with the old head', async () => {
    const { status } = await get<SignedTreeHead>('/v1/transparency/sth');
    expect(status).toBe(200);
    const head = await headOfAtLeast(11 + 25 * 4);
    expect(head.treeSize).toBe(11 + 25 * 4);
    expect(treeHeadSignedBy(head, signer)).toBe(true);

    const byIndex = (await get<InclusionProofAnswer>('/v1/transparency/proof/inclusion?leaf=42')).body;
    const claim = { ...byIndex, leafHash: hash(byIndex.leafHash), rootHash: hash(head.rootHash) };
    expect(verifyInclusion({ ...claim, auditPath: byIndex.auditPath.map(hash) })).toBe(true);
    const hex = Buffer.from(hash(byIndex.leafHash)).toString('hex');
    for (const leaf of [encodeURIComponent(byIndex.leafHash), hex])
      expect((await get<InclusionProofAnswer>(`/v1/transparency/proof/inclusion?leaf=${leaf}`)).body).toEqual(
        byIndex,
      );
    const older = (await get<InclusionProofAnswer>('/v1/transparency/proof/inclusion?leaf=42&treeSize=43'))
      .body;
    expect(older).toMatchObject({ leafIndex: 42, treeSize: 43, leafHash: byIndex.leafHash });

    await appendRegistrySubjects(log, 5, 25);
    const grown = await headOfAtLeast(head.treeSize + 20);
    expect(grown.treeSize).toBe(head.treeSize + 20);
    const proof = (
      await get<ConsistencyProofAnswer>(`/v1/transparency/proof/consistency?first=${head.treeSize}`)
    ).body;
    expect(proof).toMatchObject({
      first: head.treeSize,
      second: grown.treeSize,
      firstRootHash: head.rootHash,
    });
    const consistent = {
      firstSize: head.treeSize,
      secondSize: grown.treeSize,
      firstRoot: hash(head.rootHash),
      secondRoot: hash(grown.rootHash),
      proof: proof.proof.map(hash),
    };
    expect(verifyConsistency(consistent)).toBe(true);
  });

  it('publishes the three public routes and their parameters in /openapi.json, without bearer auth', async () => {
    const { body } = await get<{
      paths: Record<string, { get: { parameters?: Array<{ name: string }>; security?: unknown } }>;
    }>('/openapi.json');
    const route = (path: string) => body.paths[`/v1/transparency/${path}`]?.get;
    expect(route('sth')).toBeDefined();
    expect(route('proof/inclusion')?.parameters?.map((p) => p.name)).toEqual(['leaf', 'treeSize']);
    expect(route('proof/consistency')?.parameters?.map((p) => p.name)).toEqual(['first', 'second']);
    expect(['sth', 'proof/inclusion', 'proof/consistency'].map((path) => route(path)?.security)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('answers bad input with 400 problem+json naming the field, and an unknown leaf hash with 404', async () => {
    const size = (await get<SignedTreeHead>('/v1/transparency/sth')).body.treeSize;
    const cases: Array<[string, string, string]> = [
      ['proof/inclusion?leaf=abc', 'leaf', 'leaf_format'],
      ['proof/inclusion', 'leaf', 'required'],
      [`proof/inclusion?leaf=1&treeSize=${size + 1}`, 'treeSize', 'beyond_tree'],
      ['proof/inclusion?leaf=1&treeSize=0', 'treeSize', 'out_of_range'],
      ['proof/inclusion?leaf=50&treeSize=50', 'leaf', 'beyond_tree'],
      ['proof/inclusion?leaf=1&size=3', 'size', 'unknown_field'],
      ['proof/consistency?first=5&second=3', 'first', 'after_second'],
      [`proof/consistency?first=${size + 1}`, 'first', 'beyond_tree'],
      [`proof/consistency?first=1&second=${size + 1}`, 'second', 'beyond_tree'],
      ['proof/consistency?first=-1', 'first', 'out_of_range'],
      ['proof/consistency', 'first', 'required'],
    ];
    for (const [path, field, rule] of cases) {
      const answer = await get<{ errors: Array<{ path: string; rule: string }> }>(`/v1/transparency/${path}`);
      expect({ path, status: answer.status, type: answer.type }).toEqual({
        path,
        status: 400,
        type: expect.stringMatching(/^application\/problem\+json/),
      });
      expect(answer.body.errors).toEqual([expect.objectContaining({ path: field, rule })]);
    }
    const unknown = await get<{ status: number }>(`/v1/transparency/proof/inclusion?leaf=${'0'.repeat(64)}`);
    expect(unknown).toMatchObject({
      status: 404,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
  });
});
