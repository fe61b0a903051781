import type { InboxMessage } from '../domain/inbox.ts';
import { formatEdmontonDateTime } from '../domain/edmonton.ts';
import { Layout, type Chrome } from './layout.tsx';
import { can } from '../domain/permissions.ts';
import { submissionUrl } from './submission-page.tsx';

export function InboxPage({ messages, chrome }: { messages: InboxMessage[]; chrome: Chrome }) {
  return (
    <Layout title="Inbox" chrome={chrome}>
      <h1>Inbox</h1>
      {messages.length === 0 ? <p class="empty">No messages.</p> : (
        <table id="inbox">
          <thead>
            <tr><th scope="col">Received</th><th scope="col">Subject</th><th scope="col">State</th></tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr id={`message-${m.id}`} class={m.readAt ? 'read' : 'unread'}>
                <td><time datetime={m.createdAt.toISOString()}>{formatEdmontonDateTime(m.createdAt)}</time></td>
                <td><a href={`/inbox/${m.id}`}>{m.subject}</a></td>
                <td>{m.readAt ? 'Read' : <strong>Unread</strong>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

/** Where a failure message leads: the failed submission's problems, for those allowed to see them. */
function FixLink({ message, canFix }: { message: InboxMessage; canFix: boolean }) {
  if (message.submissionId === null && message.panelId === null) return null;
  if (!canFix) {
    return <p class="meta" id="fix-link">Ask a colleague with the CII/CPAR settings permission to fix and resubmit the panel.</p>;
  }
  const href = message.submissionId !== null ? submissionUrl(message.submissionId) : '/settings/cii-cpar/submissions';
  return <p><a href={href} id="fix-link">See what failed and fix it</a></p>;
}

export function MessagePage({ message, chrome }: { message: InboxMessage; chrome: Chrome }) {
  return (
    <Layout title={message.subject} chrome={chrome}>
      <p><a href="/inbox">← Inbox</a></p>
      <article id="message">
        <h1>{message.subject}</h1>
        <p class="meta">Received <time datetime={message.createdAt.toISOString()}>{formatEdmontonDateTime(message.createdAt)}</time></p>
        <div class="body">
          {message.body.split('\n').map((line) => <p>{line}</p>)}
        </div>
        <FixLink message={message} canFix={can(chrome.scope, 'cii_cpar_settings')} />
      </article>
    </Layout>
  );
}
