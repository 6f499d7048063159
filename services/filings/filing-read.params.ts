import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ValidationProblem } from '../http/problem-details';
import { parseFilingRead, type FilingReadQuery } from './read.requests';

/** `?consistency=&minRevision=` and `X-Min-Revision` of a filing read, validated: 400 names each bad one. */
export const FilingReadParams = createParamDecorator(
  (_: unknown, context: ExecutionContext): FilingReadQuery => {
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers['x-min-revision'];
    const parsed = parseFilingRead(request.query, Array.isArray(header) ? header.join(',') : header);
    if (!parsed.ok) throw new ValidationProblem(parsed.errors);
    return parsed.value;
  },
);
