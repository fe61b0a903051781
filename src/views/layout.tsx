import type { Child } from 'hono/jsx';
import type { Scope } from '../domain/people/permissions.ts';
import { can } from '../domain/people/permissions.ts';
import { assetUrl } from '../assets.ts';

/** diskLow: the database's disk, when it is running low (MB left, and whether it is as good as full) */
export type Chrome = { scope: Scope; unread: number; netcare?: string; diskLow?: { mb: number; full: boolean } };

export function UnreadCount({ count }: { count: number }) {
  return (
    <span id="unread-count" class={count > 0 ? 'count unread' : 'count'}
      hx-get="/inbox/unread-count" hx-trigger="every 60s" hx-swap="outerHTML">
      {count > 0 ? <>{count}<span class="visually-hidden"> unread</span></> : null}
    </span>
  );
}

function Navigation({ scope, unread }: Chrome) {
  return (
    <nav aria-label="Main">
      <ul class="menu">
        {can(scope, 'cii_cpar_settings') ? (
          <li>
            <span class="menu-path" aria-hidden="true">Settings › CII/CPAR ›</span>{' '}
            <a href="/settings/cii-cpar/submissions">Submissions</a>{' '}
            <a href="/settings/cii-cpar/panels">Panels</a>{' '}
            <a href="/settings/cii-cpar/settings">Warnings</a>{' '}
            <a href="/settings/cii-cpar/import">Import</a>
          </li>
        ) : null}
        {can(scope, 'manage_users') ? (
          <li>
            <span class="menu-path" aria-hidden="true">Settings ›</span>{' '}
            <a href="/settings/users">Users</a>{' '}
            <a href="/settings/practitioners">Practitioners</a>
          </li>
        ) : null}
        {can(scope, 'view_audit_log') ? (
          <li><a href="/settings/audit-log">Audit log</a></li>
        ) : null}
        <li>
          <a href="/inbox" id="inbox-link">Inbox</a> <UnreadCount count={unread} />
        </li>
      </ul>
      <div class="who">
        <span>Signed in as <strong>{scope.fullName}</strong></span>
        <form method="post" action="/logout" class="inline">
          <button type="submit" class="link">Sign out</button>
        </form>
      </div>
    </nav>
  );
}

export function Document({ title, children }: { title: string; children: Child }) {
  return (
    <html lang="en-CA">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content='{"defaultSwap":"outerHTML","includeIndicatorCSS":false}' />
        <title>{title} — CPAR portal</title>
        {/* No icon yet: an empty one stops browsers asking for /favicon.ico (a 404). */}
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={assetUrl('app.css')} />
        <script src={assetUrl('htmx.min.js')} defer></script>
        <script src={assetUrl('app.js')} defer></script>
      </head>
      <body>{children}</body>
    </html>
  );
}

/**
 * The database's disk running low, told to those who run the CPAR submissions and those who
 * manage the portal: the run on the 15th, and the messages that would say it failed, need room.
 */
function DiskLow({ scope, diskLow }: Chrome) {
  if (!diskLow || !(can(scope, 'cii_cpar_settings') || can(scope, 'manage_users'))) return null;
  return (
    <p class="disk-low" role="status">
      {diskLow.full
        ? "The server's disk is full: the portal cannot save anything, and the CPAR submissions cannot be sent. "
        : `The server's disk has ${diskLow.mb} MB left. The monthly CPAR run on the 15th needs room to save its work. `}
      Tell whoever looks after the server.
    </p>
  );
}

export function Layout({ title, chrome, children }: { title: string; chrome: Chrome; children: Child }) {
  return (
    <Document title={title}>
      <header class="top">
        <a class="brand" href="/">CPAR portal</a>
        <Navigation {...chrome} />
      </header>
      <main id="main">
        <DiskLow {...chrome} />
        <div id="flash" aria-live="polite"></div>
        {children}
      </main>
      {/* Which Netcare the portal talks to is for whoever runs it, not for every user. */}
      {chrome.netcare && can(chrome.scope, 'manage_users') ? <footer class="bottom">Netcare: {chrome.netcare}</footer> : null}
    </Document>
  );
}
