import { Layout, Document, type Chrome } from './layout.tsx';

const TITLES: Record<number, string> = {
  403: 'You do not have permission to do this',
  404: 'Not found',
  409: 'Already in progress',
  413: 'Too large',
  500: 'Something went wrong',
  503: 'The portal cannot save right now',
};

export function ErrorPage({ status, message, chrome }: { status: number; message: string; chrome?: Chrome }) {
  const body = (
    <section class="error-page">
      <h1>{TITLES[status] ?? 'Error'}</h1>
      <p>{message}</p>
      <p><a href="/">Back to the portal</a></p>
    </section>
  );
  return chrome ? <Layout title={TITLES[status] ?? 'Error'} chrome={chrome}>{body}</Layout>
    : <Document title={TITLES[status] ?? 'Error'}><main id="main">{body}</main></Document>;
}

/** What an htmx request gets instead of a page: a message swapped into #flash. */
export function ErrorFlash({ status, message }: { status: number; message: string }) {
  return (
    <div id="flash" aria-live="polite">
      <p class="error" role="alert">{TITLES[status] ?? 'Error'}: {message}</p>
    </div>
  );
}
