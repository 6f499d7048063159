import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { allowedMethodsAt } from './allowed-methods';
import { genericProblem, PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem-details';
import { requestIdOf } from './request-id';
import { routeTemplateOf } from './route-template';
import { WORKFLOW_ENGINE_RETRY_AFTER_SECONDS } from './temporal-problems';
import { toProblem } from './to-problem';

/** Answers every error of the HTTP API with `application/problem+json`. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpProblems');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const route = routeTemplateOf(request);
    let problem = toProblem(exception, { routeMatched: route !== undefined });
    // A path some route has, asked with a method none of them answers: 405 naming the methods.
    const allowed = route === undefined && problem.status === 404 ? allowedMethodsAt(request) : [];
    if (allowed.length > 0)
      problem = genericProblem(405, `${request.method} is not a method of this resource`);
    this.log(problem, exception, `${request.method} ${route ?? '(no route)'}`, requestIdOf(response));

    if (response.headersSent) {
      response.end();
      return;
    }
    if (allowed.length > 0) response.setHeader('Allow', allowed.join(', '));
    if (problem.status === 401 && !response.hasHeader('WWW-Authenticate')) {
      response.setHeader('WWW-Authenticate', 'Bearer');
    }
    if (problem.status === 503 && !response.hasHeader('Retry-After')) {
      response.setHeader('Retry-After', String(WORKFLOW_ENGINE_RETRY_AFTER_SECONDS));
    }
    const requestId = requestIdOf(response);
    const body = requestId ? { ...problem, requestId } : problem;
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  /** Logs the route template, never the URL or the body: both may carry personal data. */
  private log(problem: ProblemDetails, exception: unknown, where: string, requestId?: string): void {
    const request = requestId ? ` (request ${requestId})` : '';
    if (problem.status === 503) {
      this.logger.warn(`${where}: ${problem.detail}${request}`);
    } else if (problem.status >= 500) {
      const stack = exception instanceof Error ? exception.stack : undefined;
      this.logger.error(`${where} failed with ${describe(exception)}${request}`, stack);
    }
  }
}

/** `ServiceError ← Error (gRPC code 1)`: the names along the cause chain, and gRPC status codes. */
function describe(exception: unknown): string {
  const names: string[] = [];
  for (let current = exception; names.length < 4 && current !== undefined;) {
    if (!(current instanceof Error)) {
      names.push(typeof current);
      break;
    }
    const code = (current as { code?: unknown }).code;
    names.push(typeof code === 'number' ? `${current.name} (gRPC code ${code})` : current.name);
    current = current.cause;
  }
  return names.join(' ← ');
}
