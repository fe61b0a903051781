// Reads a CSV panel list (RFC 4180, UTF-8 with or without a byte-order mark, comma or
// semicolon) with csv-parse, keeping the line each row starts on so that a problem can say
// where it is. csv-parse's own error messages quote the file's text: they are replaced by
// messages that name only the line.
import { parse, CsvError } from 'csv-parse/sync';

/** A problem in a CSV file: its line (from 1, where the row starts) and column name, never a value. */
export type CsvProblem = { line: number | null; column: string | null; message: string };
export type CsvRow = { line: number; values: string[] };
export type CsvTable = { header: string[]; rows: CsvRow[]; delimiter: ',' | ';' };

const WHY: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is not closed',
  CSV_RECORD_INCONSISTENT_FIELDS_LENGTH: 'this row has not as many fields as the header',
  CSV_RECORD_DONT_MATCH_COLUMNS_LENGTH: 'this row has not as many fields as the header',
  INVALID_OPENING_QUOTE: 'a quote in the middle of a field that is not quoted',
  CSV_INVALID_CLOSING_QUOTE: 'a quoted field goes on after its closing quote',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a quoted field goes on after its closing quote',
};

/** The delimiter of the header line: the one of comma and semicolon seen more often outside quotes. */
function delimiterOf(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/** Line numbers of byte offsets in `bytes`, counting CRLF, LF and CR each as one line break. */
class Lines {
  private offset = 0;
  private line = 1;
  constructor(private readonly bytes: Buffer) {}
  /** The line of the first byte at or after `from` that is not a line break (where a row starts). */
  startingAt(from: number): number {
    this.advanceTo(from);
    let at = from;
    while (at < this.bytes.length && (this.bytes[at] === 0x0a || this.bytes[at] === 0x0d)) at++;
    this.advanceTo(at);
    return this.line;
  }
  private advanceTo(to: number) {
    for (; this.offset < to; this.offset++) {
      const b = this.bytes[this.offset];
      if (b === 0x0a || (b === 0x0d && this.bytes[this.offset + 1] !== 0x0a)) this.line++;
    }
  }
}

/** The header and rows of a CSV file, or the problem that stops it being read. */
export function readCsv(bytes: Buffer): { ok: true; table: CsvTable } | { ok: false; problems: CsvProblem[] } {
  const text = bytes.toString('utf8');
  // A byte that is not UTF-8 decodes to U+FFFD: a name would be stored garbled.
  if (text.includes('\uFFFD')) {
    return { ok: false, problems: [{ line: null, column: null, message: 'not UTF-8: save the report as UTF-8 (CSV UTF-8) and upload it again' }] };
  }
  const delimiter = delimiterOf(text.replace(/^\uFEFF/, ''));
  const lines = new Lines(bytes);
  let parsed: string[][];
  // Where each row read ends (in bytes): the next row, or the row an error is in, starts after it.
  const ends = [0];
  try {
    parsed = parse(bytes, {
      bom: true, delimiter, skip_empty_lines: true, trim: true,
      on_record: (values, context) => {
        ends.push(context.bytes);
        return values;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { ok: false, problems: [{ line: lines.startingAt(ends.at(-1)!), column: null, message: WHY[error.code] ?? `not valid CSV (${error.code})` }] };
  }
  if (parsed.length === 0) return { ok: false, problems: [{ line: null, column: null, message: 'the file is empty' }] };
  const rows = parsed.map((values, i) => ({ line: lines.startingAt(ends[i]), values }));
  const [head, ...body] = rows;
  const header = head.values;
  const seen = new Set<string>();
  for (const name of header) {
    const problem = name === '' ? 'a column has no name' : seen.has(name) ? `two columns are named "${name}"` : null;
    if (problem) return { ok: false, problems: [{ line: head.line, column: null, message: problem }] };
    seen.add(name);
  }
  if (body.length === 0) return { ok: false, problems: [{ line: null, column: null, message: 'the file has a header and no rows' }] };
  return { ok: true, table: { header, rows: body, delimiter } };
}
