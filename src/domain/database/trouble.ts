// What a database error means to the people waiting on it, when it is something they (or
// whoever looks after the server) can act on. SQLite's codes, as the client reports them for a
// file and for a libSQL server alike (`SQLITE_FULL`, or an extended code that starts with it).

/** full: the database or its disk has no room, so nothing can be written until someone makes some */
export type DatabaseTrouble = 'full';

export function databaseTrouble(error: unknown): DatabaseTrouble | null {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_FULL')) return 'full';
  }
  return null;
}

/** The trouble in words for a person: no SQL, no value, nothing from the record. */
export const TROUBLE_WORDS: Record<DatabaseTrouble, string> = {
  full: "the server's disk is full",
};
