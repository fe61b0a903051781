import type { HtmlEscapedString } from 'hono/utils/html';
import { raw } from 'hono/html';

/**
 * An element rendered to HTML once, to be placed in other views as it is (a page part kept
 * at the data's version). Only an element goes in: every text in it was escaped by the
 * renderer, so nothing unescaped can come through here. The one use of hono's raw in the source
 * (test/routes/escaping.test.ts holds it to this file and to this argument).
 */
export async function rendered(element: { toString(): string | Promise<string> }): Promise<HtmlEscapedString> {
  return raw(await element.toString());
}
