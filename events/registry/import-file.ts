import { type ImportRule, type ImportSubject, checkImportSubject } from './import-line';

/**
 * The subjects of an import file, each with where its problems are in the file. JSONL: one subject
 * per line. CSV: a header row, then one row per website; consecutive rows with the same certificate
 * are one subject (see docs/registry.md, "Importing existing registrations").
 */

export type ImportFormat = 'jsonl' | 'csv';

/** A problem of the file as an operator fixes it: the line, the field as the file names it, the rule. */
export interface ImportLineError {
  readonly line: number;
  readonly field: string;
  readonly rule: ImportRule;
  readonly message: string;
}

export interface ImportRecord {
  /** The line the subject starts on (1-based, the CSV header is line 1). */
  readonly line: number;
  /** How many lines of data the subject takes (CSV: its rows). */
  readonly lineCount: number;
  /** Present when the subject passed every check of the file alone. */
  readonly subject?: ImportSubject;
  readonly errors: readonly ImportLineError[];
  /** Where a problem at `path` (`subjectNumber`, `websites[2].serviceNumber`) is in the file. */
  locate(path: string): { line: number; field: string };
}

/** The file cannot be imported at all (no header, unknown columns): one readable sentence. */
export class UnusableImportFile extends Error {
  override readonly name = 'UnusableImportFile';
}

export function importRecords(format: ImportFormat, text: string, today: string): ImportRecord[] {
  return format === 'jsonl' ? jsonlRecords(text, today) : csvRecords(text, today);
}

export function jsonlRecords(text: string, today: string): ImportRecord[] {
  const records: ImportRecord[] = [];
  withoutBom(text)
    .split('\n')
    .forEach((content, index) => {
      const line = index + 1;
      if (content.trim() === '') return;
      const locate = (path: string) => ({ line, field: path });
      let input: unknown;
      try {
        input = JSON.parse(content);
      } catch {
        const error: ImportLineError = {
          line,
          field: '',
          rule: 'json_syntax',
          message: 'is not one JSON value',
        };
        records.push({ line, lineCount: 1, errors: [error], locate });
        return;
      }
      records.push(recordOf(line, 1, input, today, locate, []));
    });
  return records;
}

function recordOf(
  line: number,
  lineCount: number,
  input: unknown,
  today: string,
  locate: ImportRecord['locate'],
  fileErrors: readonly ImportLineError[],
): ImportRecord {
  const check = checkImportSubject(input, today);
  const issues = check.ok ? [] : check.issues;
  const errors = [
    ...fileErrors,
    ...issues.map((issue) => ({ ...locate(issue.path), rule: issue.rule, message: issue.message })),
  ].sort((a, b) => a.line - b.line);
  if (!check.ok || errors.length > 0) return { line, lineCount, errors, locate };
  return { line, lineCount, subject: check.subject, errors, locate };
}

/** The columns of an import CSV, in any order; every one is required. */
export const CSV_COLUMNS = [
  'certificateType',
  'certificateNumber',
  'operatorName',
  'operatorNature',
  'subjectNumber',
  'serviceNumber',
  'websiteName',
  'domains',
  'approvedOn',
] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
type CsvRow = { readonly line: number; readonly cells: Readonly<Record<CsvColumn, string>> };

const SUBJECT_COLUMNS = ['operatorName', 'operatorNature', 'subjectNumber'] as const;
const WEBSITE_FIELD_COLUMNS: Readonly<Record<string, CsvColumn>> = {
  serviceNumber: 'serviceNumber',
  name: 'websiteName',
  domains: 'domains',
  approvedOn: 'approvedOn',
};

export function csvRecords(text: string, today: string): ImportRecord[] {
  const [header, ...rows] = parseCsv(withoutBom(text));
  if (!header) throw new UnusableImportFile('the CSV file is empty: it needs a header row');
  const columns = header.fields.map((name) => name.trim());
  const unknown = columns.find((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  if (unknown !== undefined)
    throw new UnusableImportFile(`the CSV header names an unknown column "${unknown}"`);
  const missing = CSV_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length > 0)
    throw new UnusableImportFile(`the CSV header lacks the columns ${missing.join(', ')}`);
  const dataRows = rows
    .filter((row) => row.fields.some((field) => field.trim() !== ''))
    .map((row) => ({
      line: row.line,
      cells: Object.fromEntries(
        columns.map((name, index) => [name, row.fields[index] ?? '']),
      ) as CsvRow['cells'],
    }));
  return groupBySubject(dataRows).map((group) => csvRecord(group, today));
}

/** Consecutive rows with the same certificate are one subject. */
function groupBySubject(rows: readonly CsvRow[]): CsvRow[][] {
  const groups: CsvRow[][] = [];
  const certificateOf = (row: CsvRow) => `${row.cells.certificateType}\u0000${row.cells.certificateNumber}`;
  for (const row of rows) {
    const current = groups[groups.length - 1];
    const first = current?.[0];
    if (current && first && certificateOf(first) === certificateOf(row)) current.push(row);
    else groups.push([row]);
  }
  return groups;
}

function csvRecord(rows: readonly CsvRow[], today: string): ImportRecord {
  const first = rows[0] as CsvRow;
  const cell = (row: CsvRow, column: CsvColumn) =>
    row.cells[column].trim() === '' ? undefined : row.cells[column];
  const input = {
    certificateType: cell(first, 'certificateType'),
    certificateNumber: cell(first, 'certificateNumber'),
    operatorName: cell(first, 'operatorName'),
    operatorNature: cell(first, 'operatorNature'),
    subjectNumber: cell(first, 'subjectNumber'),
    websites: rows.map((row) => ({
      serviceNumber: cell(row, 'serviceNumber'),
      name: cell(row, 'websiteName'),
      domains: cell(row, 'domains')
        ?.split(';')
        .map((domain) => domain.trim())
        .filter((domain) => domain !== ''),
      approvedOn: cell(row, 'approvedOn'),
    })),
  };
  const differing: ImportLineError[] = rows.slice(1).flatMap((row) =>
    SUBJECT_COLUMNS.filter((column) => row.cells[column] !== first.cells[column]).map((column) => ({
      line: row.line,
      field: column,
      rule: 'csv_row_differs' as const,
      message: `must repeat the subject's ${column} of line ${first.line}`,
    })),
  );
  const locate = (path: string) => {
    const website = /^websites\[(\d+)\]\.(\w+)/.exec(path);
    if (!website) return { line: first.line, field: path === 'websites' ? 'serviceNumber' : path };
    const row = rows[Number(website[1])] ?? first;
    return { line: row.line, field: WEBSITE_FIELD_COLUMNS[website[2] ?? ''] ?? path };
  };
  const last = rows[rows.length - 1] as CsvRow;
  return recordOf(first.line, last.line - first.line + 1, input, today, locate, differing);
}

/** RFC 4180: commas, double quotes around a field that holds commas, quotes ("") or line breaks. */
export function parseCsv(text: string): Array<{ line: number; fields: string[] }> {
  const rows: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    fields.push(field);
    rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] as string;
    if (char === '\n') line += 1;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',') {
      fields.push(field);
      field = '';
    } else if (char === '\n') {
      endRow();
      rowLine = line;
    } else if (char !== '\r') field += char;
  }
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}

function withoutBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
