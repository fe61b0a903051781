// Text a person could have typed into one line. A NUL cuts a value short in SQLite, other
// control characters are invisible, and half a surrogate pair cannot be stored as UTF-8 at
// all (reading it back aborts libSQL): all are refused with a message, never stored.
const CONTROL = /[\u0000-\u001F\u007F]/;
const HALF_PAIR = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why this one-line text cannot be stored, or null when it can. */
export function lineProblem(value: string): string | null {
  if (HALF_PAIR.test(value)) return 'contains a broken character';
  if (CONTROL.test(value)) return 'contains a control character (a tab, a line break or an invisible one)';
  return null;
}
