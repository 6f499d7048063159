import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';

/** The ETag of a filing at `revision`: its stream revision, quoted. */
export function revisionETag(revision: number): string {
  return `"${revision}"`;
}

/** Whether `If-None-Match` names the filing at `revision` (weak or strong, in a list, or `*`). */
export function matchesRevision(ifNoneMatch: string | undefined, revision: number): boolean {
  if (ifNoneMatch === undefined) return false;
  const current = revisionETag(revision);
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === current);
}

function filingRevisionOf(body: unknown): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { filingId, revision } = body as { filingId?: unknown; revision?: unknown };
  return typeof filingId === 'string' && Number.isInteger(revision) ? (revision as number) : undefined;
}

/**
 * Every answer that is a filing (a read, a decision, a submission) carries its revision as `ETag`, so
 * a client can read its own write (`GET …?minRevision=`) and revalidate a read (`If-None-Match`).
 */
@Injectable()
export class RevisionETag implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: unknown) => {
        const revision = filingRevisionOf(body);
        if (revision !== undefined) response.setHeader('ETag', revisionETag(revision));
        return body;
      }),
    );
  }
}
