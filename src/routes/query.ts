// Query-string values as the pages understand them, in one place. A value outside what a page
// reads is absent (the page shows its default), never a number SQL or JavaScript cannot take
// (1.5, Infinity, 1e308, 20 digits) nor a name inherited from Object (toString, __proto__).

/** A page number, 1 to 999,999,999 in plain digits; anything else is page 1 (a page past the end is the last one). */
export function pageNumber(value: string | null | undefined): number {
  return Math.max(1, wholeNumber(value) ?? 1);
}

/** A count, 0 to 999,999,999 in plain digits, or null. */
export function wholeNumber(value: string | null | undefined): number | null {
  return value && /^\d{1,9}$/.test(value) ? Number(value) : null;
}

/** A record id: 1 to 15 digits without a leading zero (all safe integers), or null. */
export function recordId(value: string | null | undefined): number | null {
  return value && /^[1-9]\d{0,14}$/.test(value) ? Number(value) : null;
}

/** One of the words a page knows, or null: matched against the list, never looked up on an object. */
export function oneOf<T extends string>(value: string | null | undefined, words: readonly T[]): T | null {
  return words.find((w) => w === value) ?? null;
}
