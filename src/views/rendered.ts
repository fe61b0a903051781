import { isValidElement } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';
import { raw } from 'hono/html';

/**
 * An element rendered to HTML once, to be placed in other views as it is (a page part kept
 * at the data's version). Only a JSX element goes in — checked when compiled and when run, since
 * a string has a toString too — so every text in it was escaped by the renderer and nothing
 * unescaped can come through here. The one use of hono's raw in the source
 * (test/routes/escaping.test.ts holds it to this file and to this argument).
 */
export async function rendered(element: HtmlEscapedString | Promise<HtmlEscapedString>): Promise<HtmlEscapedString> {
  if (!isValidElement(element)) throw new TypeError('rendered() takes a JSX element');
  return raw(await element.toString());
}
