import type { Context } from 'hono';
import type { DiskWatch } from '../service/disk-watch.ts';
import { html } from 'hono/html';
import { HtmlEscapedCallbackPhase, resolveCallback } from 'hono/utils/html';
import { atDataVersion } from '../domain/database/data-version.ts';
import type { Config } from '../config.ts';
import type { Clock } from '../domain/time/clock.ts';
import type { Db } from '../domain/database/db.ts';
import type { Scope } from '../domain/people/permissions.ts';
import type { Session } from '../domain/people/sessions.ts';
import type { Chrome } from '../views/layout.tsx';
import type { Metrics } from '../service/metrics.ts';
import type { Readiness } from '../service/health.ts';
import type { Importer } from '../domain/import/importer.ts';

/** What the service routes report: this process's metrics and its readiness checks. */
export type ServiceDeps = { metrics: Metrics; health: { readiness(): Promise<Readiness> } };

/** importer: where the Import page's work runs (the portal's importing thread); absent, in place. */
/** disk: the room left on the database file's disk, when it is a file (the chrome warns when it runs low) */
export type Deps = { db: Db; clock: Clock; config: Config; netcareLabel?: string; service?: ServiceDeps; importer?: Importer; disk?: DiskWatch };

export type AppEnv = {
  Variables: {
    deps: Deps;
    session: Session;
    scope: Scope;
    chrome: Chrome;
    requestId: string;
    /** the data's version read with the session, for a GET (undefined: read it when needed) */
    dataVersion: number | undefined;
  };
};

export type AppContext = Context<AppEnv>;

/** True for an htmx request that wants a fragment (a history restore wants a whole page). */
export function wantsFragment(c: Context): boolean {
  return c.req.header('HX-Request') === 'true' && c.req.header('HX-Request-Type') !== 'full';
}

/** A whole page with its doctype. */
export function page(c: Context, node: unknown, status: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503 = 200) {
  return c.html(html`<!DOCTYPE html>${node}`, status);
}

/**
 * A whole page kept, as the bytes sent, at the data's version for this key and this chrome (who
 * is signed in, what they may open, their unread count, the Netcare label): a view answered
 * again and again is neither rendered nor encoded again until the data, or the chrome, changes.
 * The session and permission checks still run on every request before this; `key` names
 * everything else the page shows.
 */
export async function keptPage(c: AppContext, key: string, render: () => Promise<unknown>) {
  const { scope, unread, netcare } = c.var.chrome;
  const chrome = JSON.stringify([scope.userId, scope.fullName, [...scope.permissions].sort(), unread, netcare ?? null, c.var.chrome.diskLow ?? null]);
  const bytes = await atDataVersion(c.var.deps.db, `page|${key}|${chrome}`, c.var.dataVersion, async () => {
    const text = await resolveCallback(html`<!DOCTYPE html>${await render()}`, HtmlEscapedCallbackPhase.Stringify, false, {});
    return Buffer.from(`${text}`);
  });
  return c.body(bytes, 200, { 'Content-Type': 'text/html; charset=UTF-8' });
}
