import type { InboxMessage } from '../domain/inbox/inbox.ts';
import { formatEdmontonDateTime } from '../domain/time/edmonton.ts';
import { Layout, type Chrome } from './layout.tsx';
import { submissionUrl } from './submission-page.tsx';
import { registryFeedbackUrl } from './registry-feedback-page.tsx';

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
function FixLink({ message, canFix, fixers }: { message: InboxMessage; canFix: boolean; fixers: string[] }) {
  if (message.submissionId === null && message.panelId === null) return null;
  if (!canFix) {
    return (
      <section id="fix-link" aria-labelledby="fix-heading">
        <h2 id="fix-heading">Who can fix it</h2>
        {fixers.length === 0 ? (
          <p>No one can fix it yet: no active user has the CII/CPAR settings permission. Ask an administrator to give it to someone.</p>
        ) : (
          <p>
            You cannot open the panel's settings. {fixers.length === 1 ? 'This colleague has' : 'These colleagues have'} the
            CII/CPAR settings permission: ask them to {message.kind === 'registry' ? 'work the registry feedback' : 'fix and resubmit the panel'}.
          </p>
        )}
        {fixers.length > 0 ? <ul class="fixers">{fixers.map((name) => <li>{name}</li>)}</ul> : null}
      </section>
    );
  }
  if (message.kind === 'registry' && message.panelId !== null) {
    return <p><a href={registryFeedbackUrl(message.panelId)} id="fix-link">Work the mismatches and conflicts</a></p>;
  }
  const href = message.submissionId !== null ? submissionUrl(message.submissionId) : '/settings/cii-cpar/submissions';
  return <p><a href={href} id="fix-link">See what failed and fix it</a></p>;
}

export function MessagePage({ message, canFix, fixers, chrome }: { message: InboxMessage; canFix: boolean; fixers: string[]; chrome: Chrome }) {
  return (
    <Layout title={message.subject} chrome={chrome}>
      <p><a href="/inbox">← Inbox</a></p>
      <article id="message">
        <h1>{message.subject}</h1>
        <p class="meta">Received <time datetime={message.createdAt.toISOString()}>{formatEdmontonDateTime(message.createdAt)}</time></p>
        <div class="body">
          {message.body.split('\n').map((line) => <p>{line}</p>)}
        </div>
        <FixLink message={message} canFix={canFix} fixers={fixers} />
      </article>
    </Layout>
  );
}
