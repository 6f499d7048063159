import { type FormRule, severityOf } from '../form-rules';
import { type FieldPath, formatPath } from './field-path';

/** One problem with a form. `message` is one sentence and never repeats the value it is about. */
export interface FormIssue {
  readonly path: string;
  readonly rule: FormRule;
  readonly message: string;
}

/** A rule that a single value breaks, before it is placed at a path. */
export interface Finding {
  readonly rule: FormRule;
  readonly message: string;
}

/** Collects every issue of one validation run, split by the severity of its rule. */
export class IssueCollector {
  private readonly errorList: FormIssue[] = [];
  private readonly warningList: FormIssue[] = [];

  report(path: FieldPath, rule: FormRule, message: string): void {
    const issue: FormIssue = { path: formatPath(path), rule, message };
    if (severityOf(rule) === 'warning') this.warningList.push(issue);
    else this.errorList.push(issue);
  }

  /** Reports each finding at `path`; true when none of them is an error. */
  reportAll(path: FieldPath, findings: readonly Finding[]): boolean {
    for (const finding of findings) this.report(path, finding.rule, finding.message);
    return findings.every((finding) => severityOf(finding.rule) !== 'error');
  }

  get errors(): readonly FormIssue[] {
    return this.errorList;
  }

  get warnings(): readonly FormIssue[] {
    return this.warningList;
  }
}
