import { Hono } from 'hono';
import { countUnread, listInbox, openMessage } from '../domain/inbox/inbox.ts';
import { enabledUsersWith } from '../domain/people/users.ts';
import { can } from '../domain/people/permissions.ts';
import { InboxPage, MessagePage } from '../views/inbox-page.tsx';
import { UnreadCount } from '../views/layout.tsx';
import { ErrorPage } from '../views/error-page.tsx';
import { page, type AppEnv } from './env.ts';

export const inboxRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const messages = await listInbox(c.var.deps.db, c.var.scope);
    return page(c, <InboxPage messages={messages} chrome={c.var.chrome} />);
  })
  // The count read with the session, a moment ago (one statement, not two).
  .get('/unread-count', (c) => c.html(<UnreadCount count={c.var.chrome.unread} />))
  // At most 15 digits: a longer id is Infinity to JavaScript, which SQL refuses (a 500, not a 404).
  .get('/:id{[0-9]{1,15}}', async (c) => {
    const { db, clock } = c.var.deps;
    const message = await openMessage(db, clock, c.var.scope, Number(c.req.param('id')));
    // Someone else's message is answered exactly like a missing one.
    if (!message) {
      return page(c, <ErrorPage status={404} message="There is no such message in your inbox." chrome={c.var.chrome} />, 404);
    }
    const chrome = { ...c.var.chrome, unread: await countUnread(db, c.var.scope) };
    const canFix = can(c.var.scope, 'cii_cpar_settings');
    // A reader who cannot open the submission's page is told whom to ask, by name.
    const fixers = canFix || message.panelId === null ? [] : await enabledUsersWith(db, 'cii_cpar_settings');
    return page(c, <MessagePage message={message} canFix={canFix} fixers={fixers} chrome={chrome} />);
  });
