import { Injectable, type PipeTransform } from '@nestjs/common';
import { ValidationProblem } from './problem-details';
import type { Parsed } from './request-fields';

/** Validation in a pipe: the controller receives a typed body or the caller a 400 with every error. */
@Injectable()
export class ParseBodyPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly parse: (body: unknown) => Parsed<T>) {}

  transform(body: unknown): T {
    const parsed = this.parse(body);
    if (!parsed.ok) throw new ValidationProblem(parsed.errors);
    return parsed.value;
  }
}
