import type { Context } from 'hono';
import { ErrorFlash, ErrorPage } from '../views/error-page.tsx';
import { page, wantsFragment, type AppEnv } from './env.ts';

type ErrorStatus = 403 | 404 | 500 | 503;

/**
 * An error as the asker can read it: a whole page for a page, and for an htmx request the
 * message in the page's #flash instead of the fragment it asked for (htmx 4 swaps an error's
 * body like any other, so a row would otherwise be replaced by an error page).
 */
export function errorAnswer(c: Context<AppEnv>, status: ErrorStatus, message: string) {
  if (wantsFragment(c)) {
    c.header('HX-Retarget', '#flash');
    c.header('HX-Reswap', 'outerHTML');
    return c.html(<ErrorFlash status={status} message={message} />, status);
  }
  return page(c, <ErrorPage status={status} message={message} chrome={c.get('chrome')} />, status);
}
