import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import fc from 'fast-check';
import { validateRegistrationForm } from '../../events/form/validate-form';
import { chinaDateOfEpochMs } from '../../events/working-days/china-time';
import { loadValidForm } from '../../test/fixtures/forms/form-fixtures';
import {
  expectedAnswer,
  hostileBodies,
  type Json,
  type RouteValidation,
} from '../../test/support/hostile-json';
import { rawExchange } from '../../test/support/raw-http';
import { type Parsed } from './request-fields';
import { parseBureauReview } from '../bureau/bureau.requests';
import { parseCorrection, parsePlatformReview, parseReasonsOnly } from '../filings/filings.requests';
import { parseSmsAnswer } from '../applicant/applicant.requests';
import { ParseBodyPipe } from './parse-body.pipe';
import { SubmissionPipe } from '../filings/submission.pipe';
import { type HttpTestApp, startHttpTestApp } from '../../test/support/http/http-test-app';
import type { FieldError } from './problem-details';

/** The request pipes of the filing routes, behind the real HTTP pipeline, without Temporal behind them. */
@Controller('probe')
class PipesController {
  @Post('platform-review')
  @HttpCode(200)
  platformReview(@Body(new ParseBodyPipe(parsePlatformReview)) body: unknown) {
    return { accepted: body };
  }

  @Post('bureau-review')
  @HttpCode(200)
  bureauReview(@Body(new ParseBodyPipe(parseBureauReview)) body: unknown) {
    return { accepted: body };
  }

  @Post('reasons')
  @HttpCode(200)
  reasons(@Body(new ParseBodyPipe(parseReasonsOnly)) body: unknown) {
    return { accepted: body };
  }

  @Post('correction')
  @HttpCode(200)
  correction(@Body(new ParseBodyPipe(parseCorrection), SubmissionPipe.forCorrection) body: unknown) {
    return { accepted: body !== undefined };
  }

  @Post('sms')
  @HttpCode(200)
  sms(@Body(new ParseBodyPipe(parseSmsAnswer)) body: unknown) {
    return { accepted: body !== undefined };
  }

  @Post('form')
  @HttpCode(200)
  form(@Body(SubmissionPipe) body: unknown) {
    return { accepted: body !== undefined };
  }

  /** The one route given a larger body limit (as `/v1/verify/batch` is in the API). */
  @Post('bulk')
  @HttpCode(200)
  bulk(@Body() body: { reasons?: string }) {
    return { length: body.reasons?.length };
  }
}

const errorsOf =
  <T>(parse: (body: unknown) => Parsed<T>): RouteValidation =>
  (body) => {
    const parsed = parse(body);
    return parsed.ok ? [] : parsed.errors;
  };

function formErrors(form: unknown, prefix: string): FieldError[] {
  const result = validateRegistrationForm(form, { submittedOn: chinaDateOfEpochMs(Date.now()) });
  return result.ok ? [] : result.errors.map((e) => ({ ...e, path: prefix ? `${prefix}.${e.path}` : e.path }));
}

const validForm = loadValidForm('valid-app') as Json;
const ROUTES: readonly { path: string; base: Json; validate: RouteValidation }[] = [
  {
    path: '/probe/platform-review',
    base: { decision: 'return', reasons: '请补充' },
    validate: errorsOf(parsePlatformReview),
  },
  {
    path: '/probe/bureau-review',
    base: { decision: 'reject', reasons: '材料不全' },
    validate: errorsOf(parseBureauReview),
  },
  { path: '/probe/reasons', base: { reasons: '撤回' }, validate: errorsOf(parseReasonsOnly) },
  {
    path: '/probe/correction',
    base: { form: validForm },
    validate: (body) => {
      const errors = errorsOf(parseCorrection)(body);
      return errors.length > 0 ? errors : formErrors((body as { form: unknown }).form, 'form');
    },
  },
  { path: '/probe/sms', base: { code: '123456', idLast6: '15004X' }, validate: errorsOf(parseSmsAnswer) },
  { path: '/probe/form', base: validForm, validate: (body) => formErrors(body, '') },
];

const prototypeShape = () =>
  [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((proto) =>
    Object.getOwnPropertyNames(proto).sort().join(','),
  );

describe('request bodies through the HTTP pipeline', () => {
  let server: HttpTestApp;
  let port: number;

  beforeAll(async () => {
    server = await startHttpTestApp(
      { controllers: [PipesController] },
      { http: () => ({ bodyLimitsByPath: { '/probe/bulk': '1mb' } }) },
    );
    port = Number(new URL(server.url('/')).port);
  });
  afterAll(() => server.close());

  async function post(path: string, bytes: Buffer | undefined, headers: Record<string, string>) {
    const response = await fetch(server.url(path), { method: 'POST', headers, body: bytes });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? '', text };
  }

  it('answers every hostile body with the 4xx problem its route owes, and pollutes no prototype', async () => {
    const before = prototypeShape();
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES).chain((route) => fc.tuple(fc.constant(route), hostileBodies(route.base))),
        async ([route, body]) => {
          const expected = expectedAnswer(body, route.validate);
          fc.pre(expected !== 'accepted');
          const answer = await post(route.path, body.bytes, { ...body.headers });
          seen.set(`${body.kind} ${answer.status}`, (seen.get(`${body.kind} ${answer.status}`) ?? 0) + 1);
          expect({ status: answer.status, type: answer.type }).toEqual({
            status: expected.status,
            type: expect.stringMatching(/^application\/problem\+json/),
          });
          const problem = JSON.parse(answer.text) as { status: number; errors?: FieldError[] };
          expect(problem.status).toBe(expected.status);
          if (expected.errors)
            expect(problem.errors?.map((e) => `${e.path}:${e.rule}`)).toEqual(expected.errors);
        },
      ),
      { seed: 8_2026_04, numRuns: 250, endOnFailure: true },
    );
    expect(prototypeShape()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    console.info(`in-process hostile bodies: ${[...seen].map(([k, n]) => `${k}×${n}`).join(', ')}`);
  });

  it('refuses a body that is not application/json with 415, even where no body is needed', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/merge-patch+json']) {
      const answer = await post('/probe/reasons', Buffer.from('withdraw it'), { 'content-type': type });
      expect(answer.status).toBe(415);
      expect(JSON.parse(answer.text)).toMatchObject({
        errors: [{ path: 'Content-Type', rule: 'unsupported_media_type' }],
      });
    }
    expect((await post('/probe/reasons', undefined, {})).status).toBe(200);
    expect((await post('/probe/reasons', Buffer.alloc(0), { 'content-type': 'text/plain' })).status).toBe(
      200,
    );
  });

  it('refuses duplicate members, unpaired surrogates and bytes that are not UTF-8, naming where', async () => {
    const cases: [string | Buffer, string][] = [
      ['{"decision":"reject","decision":"approve"}', 'decision:duplicate_key'],
      ['{"decision":"return","reasons":"x\\ud800"}', 'reasons:invalid_unicode'],
      [
        Buffer.concat([
          Buffer.from('{"decision":"return","reasons":"'),
          Buffer.from([0xff]),
          Buffer.from('"}'),
        ]),
        '$:invalid_utf8',
      ],
      [`{"decision":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, `decision${'.0'.repeat(63)}:too_deep`],
    ];
    for (const [body, error] of cases) {
      const answer = await post('/probe/platform-review', Buffer.from(body), {
        'content-type': 'application/json',
      });
      expect(answer.status).toBe(400);
      const problem = JSON.parse(answer.text) as { type: string; errors: FieldError[] };
      expect(problem.type).toBe('https://icp-filing.example/problems/unaccepted-json');
      expect(problem.errors.map((e) => `${e.path}:${e.rule}`)).toEqual([error]);
    }
  });

  it('answers a declared length over the limit with 413 at once, before the body is sent', async () => {
    const answer = await rawExchange(port, [
      'POST /probe/reasons HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n',
      `{"reasons":"${'x'.repeat(1024 * 1024)}`,
    ]);
    // 1 MiB of the declared 100 MiB was sent: the answer cannot have waited for the body.
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({
      type: 'https://icp-filing.example/problems/body-too-large',
    });
  });

  it('answers a chunked body that outgrows the limit with 413', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x78);
    const chunks = Array.from({ length: 6 }, () => [
      `${chunk.length.toString(16)}\r\n`,
      chunk,
      '\r\n',
    ]).flat();
    const answer = await rawExchange(port, [
      'POST /probe/reasons HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      '5\r\n{"a":\r\n',
      ...chunks,
      '0\r\n\r\n',
    ]);
    expect(answer.status).toBe(413);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('holds a route given its own limit to that limit, and every other route to the default', async () => {
    const halfMiB = Buffer.from(JSON.stringify({ reasons: 'x'.repeat(512 * 1024) }));
    const json = { 'content-type': 'application/json' };
    const bulk = await post('/probe/bulk', halfMiB, json);
    expect({ status: bulk.status, body: JSON.parse(bulk.text) }).toEqual({
      status: 200,
      body: { length: 512 * 1024 },
    });
    const other = await post('/probe/reasons', halfMiB, json);
    expect({ status: other.status, detail: JSON.parse(other.text).detail }).toEqual({
      status: 413,
      detail: 'the request body exceeds the limit of 256kb',
    });

    const declared = await rawExchange(port, [
      'POST /probe/bulk HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\n\r\n',
      '{"reasons":"',
    ]);
    expect(declared.status).toBe(413);
    const chunk = Buffer.alloc(256 * 1024, 0x78);
    const chunked = await rawExchange(port, [
      'POST /probe/bulk HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      '5\r\n{"a":\r\n',
      ...Array.from({ length: 5 }, () => [`${chunk.length.toString(16)}\r\n`, chunk, '\r\n']).flat(),
      '0\r\n\r\n',
    ]);
    expect({ status: chunked.status, detail: JSON.parse(chunked.body).detail }).toEqual({
      status: 413,
      detail: 'the request body exceeds the limit of 1mb',
    });
  });

  it('answers what Node refuses before Express (oversized headers, broken HTTP) with problem+json', async () => {
    const oversized = await rawExchange(port, [
      `GET /probe/x HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    ]);
    expect(oversized).toMatchObject({ status: 431, closed: true });
    expect(JSON.parse(oversized.body)).toMatchObject({
      status: 431,
      title: 'Request Header Fields Too Large',
    });
    for (const broken of [
      'GARBAGE\r\n\r\n',
      'POST /probe/reasons HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}',
      'POST /probe/reasons HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    ]) {
      const answer = await rawExchange(port, [broken]);
      expect(answer).toMatchObject({ status: 400, closed: true });
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});
