import type { MiddlewareHandler } from 'hono';
import { HtmlEscapedCallbackPhase, resolveCallback } from 'hono/utils/html';

/**
 * Rendered JSX reaches c.html as a String object (hono's escaped-string marker). Handed on as
 * is, @hono/node-server cannot send it from its lightweight Response: the first look at the
 * response's headers builds a full WHATWG Response — the page's byte count and a stream that
 * is then read back chunk by chunk — on every page and fragment. A primitive string is sent
 * in one write. The callbacks hono would run on the way (async components) still run here.
 */
export const plainHtml: MiddlewareHandler = async (c, next) => {
  const html = c.html;
  c.html = ((body: unknown, ...rest: unknown[]) => typeof body === 'object' && body !== null
    ? resolveCallback(body as unknown as string, HtmlEscapedCallbackPhase.Stringify, false, {}).then((text) => html(`${text}`, ...(rest as [])))
    : html(body as string, ...(rest as []))) as typeof c.html;
  await next();
};
