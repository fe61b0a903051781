import type { InboxMessage } from '../domain/inbox.ts';
import { formatEdmontonDateTime } from '../domain/edmonton.ts';
import { Layout, type Chrome } from './layout.tsx';

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
        {message.panelId !== null ? (
          <p><a href="/settings/cii-cpar/submissions" id="fix-link">Open the Submissions page to fix and resubmit</a></p>
        ) : null}
      </article>
    </Layout>
  );
}
