import { type HttpTestApp, RecordingLogger, startHttpTestApp } from '../../test/support/http/http-test-app';
import { ProblemFixturesController, SECRET_IN_MESSAGE } from '../../test/support/http/problem-fixtures';
import { problemType } from './problem-details';

interface Answer {
  status: number;
  contentType: string;
  body: Record<string, unknown>;
  headers: Headers;
}

describe('problem details over HTTP', () => {
  let server: HttpTestApp;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    server = await startHttpTestApp({ controllers: [ProblemFixturesController] }, { logger });
  });
  afterAll(() => server.close());

  async function call(path: string, init?: RequestInit): Promise<Answer> {
    const response = await fetch(server.url(path), init);
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: JSON.parse(text) as Record<string, unknown>,
      headers: response.headers,
    };
  }

  function postJson(path: string, body: string): Promise<Answer> {
    return call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  }

  function expectProblem(answer: Answer, status: number): void {
    expect(answer.status).toBe(status);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(answer.body).toEqual(
      expect.objectContaining({
        type: expect.any(String),
        title: expect.any(String),
        status,
        detail: expect.any(String),
      }),
    );
  }

  describe.each(['domain', 'update-failure'])('a filing refusal thrown as %s', (source) => {
    it('wrong_stage → 409 naming the current stage', async () => {
      const answer = await call(`/test/${source}/wrong_stage`);
      expectProblem(answer, 409);
      expect(answer.body).toMatchObject({
        type: problemType('wrong-stage'),
        stage: 'bureau_review',
        filingStatus: 'bureau_review',
      });
      expect(answer.body.detail).toContain('bureau_review');
    });

    it('out_of_scope → the very same 404 as a filing that does not exist', async () => {
      const outOfScope = await call(`/test/${source}/out_of_scope`);
      const missing = await call('/test/workflow-not-found');
      expectProblem(outOfScope, 404);
      // Each answer names its own request id; the rest is the very same.
      expect({ ...outOfScope.body, requestId: '' }).toEqual({ ...missing.body, requestId: '' });
      expect(outOfScope.body.detail).toBe('filing not found');
    });

    it('forbidden_role → 403', async () => {
      expectProblem(await call(`/test/${source}/forbidden_role`), 403);
    });

    it('invalid_command → 400 with errors[] from the field and rule', async () => {
      const answer = await call(`/test/${source}/invalid_command`);
      expectProblem(answer, 400);
      expect(answer.body.errors).toEqual([
        { path: 'reasons', rule: 'required', message: 'reasons are required to reject' },
      ]);
    });

    it('illegal_transition → 409', async () => {
      const answer = await call(`/test/${source}/illegal_transition`);
      expectProblem(answer, 409);
      expect(answer.body.type).toBe(problemType('illegal-transition'));
    });
  });

  it('an update failure of an unknown type → 500 without its message', async () => {
    const answer = await call('/test/update-failure/something_else');
    expectProblem(answer, 500);
    expect(JSON.stringify(answer.body)).not.toContain('something else went wrong');
  });

  it('Temporal unreachable → 503 asking to retry', async () => {
    const answer = await call('/test/temporal-unavailable');
    expectProblem(answer, 503);
    expect(answer.body.detail).toBe('the workflow engine is unavailable, retry later');
  });

  it('a ValidationProblem → 400 with every error', async () => {
    const answer = await call('/test/validation');
    expectProblem(answer, 400);
    expect(answer.body.errors).toHaveLength(2);
    expect(answer.body.errors).toContainEqual({ path: 'app.name', rule: 'required', message: 'is required' });
  });

  it('an HttpException keeps its status; 401 names the Bearer scheme', async () => {
    const answer = await call('/test/unauthorized');
    expectProblem(answer, 401);
    expect(answer.body).toMatchObject({ type: 'about:blank', title: 'Unauthorized' });
    expect(answer.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('malformed JSON → 400 malformed_json, without quoting the body', async () => {
    const answer = await postJson('/test/echo', '{"name": "张三", oops}');
    expectProblem(answer, 400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ path: '$', rule: 'malformed_json' })]);
    expect(JSON.stringify(answer.body)).not.toContain('张三');
  });

  it('accepts a JSON body under the limit', async () => {
    const response = await fetch(server.url('/test/echo'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(200_000) }),
    });
    expect(response.status).toBe(201);
  });

  it('a 300 kB body → 413', async () => {
    const answer = await postJson('/test/echo', JSON.stringify({ padding: 'x'.repeat(300_000) }));
    expectProblem(answer, 413);
    expect(answer.body.detail).toContain('256kb');
  });

  it('an unknown route → 404 problem that does not echo the URL', async () => {
    const answer = await call('/nowhere/110101199003077777');
    expectProblem(answer, 404);
    expect(JSON.stringify(answer.body)).not.toContain('110101199003077777');
  });

  it.each(['DELETE', 'PUT', 'PATCH', 'OPTIONS'])(
    'a method the path does not have (%s) → 405 naming the methods it has in Allow',
    async (method) => {
      const answer = await call('/test/filings/110101199003077777', { method });
      expectProblem(answer, 405);
      expect(answer.headers.get('allow')).toBe('GET, HEAD');
      expect(JSON.stringify(answer.body)).not.toContain('110101199003077777');
    },
  );

  it('405 lists every method of the path', async () => {
    const answer = await call('/test/echo', { method: 'GET' });
    expectProblem(answer, 405);
    expect(answer.headers.get('allow')).toBe('POST');
  });

  it('an undecodable path parameter → 400, not 500', async () => {
    const answer = await call('/test/filings/%E4%FF');
    expectProblem(answer, 400);
    expect(JSON.stringify(answer.body)).not.toContain('%FF');
  });

  it('an unexpected Error → 500 with a generic detail; the stack goes to the log', async () => {
    const answer = await call('/test/unexpected');
    expectProblem(answer, 500);
    expect(JSON.stringify(answer.body)).not.toContain(SECRET_IN_MESSAGE);
    const logged = logger.entries.filter((entry) => entry.level === 'error').map((entry) => entry.text);
    expect(logged).toContainEqual(expect.stringContaining('GET /test/unexpected failed with Error'));
    expect(logged).toContainEqual(expect.stringContaining('at ProblemFixturesController.unexpected'));
  });

  it('does not say what serves it', async () => {
    const response = await fetch(server.url('/test/filings/1'));
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});
