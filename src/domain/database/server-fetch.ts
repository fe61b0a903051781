// How the client reaches a libSQL server: its `fetch`, done over node:http with kept-alive
// connections. Each statement or batch is one HTTP request; through Node's fetch each cost
// the portal 1.4–2.9 ms of CPU, through node:http 0.7–1.2 ms (SELECT 1 against a local sqld,
// alternate runs) — and a page makes two to four of them.
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

const agents = { 'http:': new Agent({ keepAlive: true }), 'https:': new HttpsAgent({ keepAlive: true }) };

/** As long as Node's fetch waits for an answer that does not come (undici's 300 s). */
export const SERVER_IDLE_MS = 300_000;

/** Statuses whose answer has no body (a Response refuses one). */
const NO_BODY = new Set([101, 204, 205, 304]);

/**
 * A fetch for the libSQL client. It asks for the answer uncompressed: Node's fetch asks for
 * gzip and sqld obliges, and inflating was most of a panel's extraction on sqld (200 panels:
 * 6.6 s of the client's CPU with gzip, 1.3–2.0 s without). The server sits next to the
 * portals (the README's deployment): the bytes saved are not worth the CPU.
 */
export async function serverFetch(input: Request): Promise<Response> {
  const url = new URL(input.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`not an HTTP URL: ${url.protocol}`);
  const body = input.body ? Buffer.from(await input.arrayBuffer()) : undefined;
  const headers: Record<string, string> = Object.fromEntries(input.headers);
  headers['accept-encoding'] = 'identity';
  if (body) headers['content-length'] = String(body.byteLength);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const answer = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = send(url, { method: input.method, headers, agent: agents[url.protocol as keyof typeof agents] }, resolve);
    request.setTimeout(SERVER_IDLE_MS, () => request.destroy(new Error(`the database server did not answer within ${SERVER_IDLE_MS / 1000} s`)));
    request.on('error', reject);
    request.end(body);
  });
  const chunks: Buffer[] = [];
  for await (const chunk of answer) chunks.push(chunk as Buffer);
  const status = answer.statusCode ?? 502;
  const answerHeaders = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined) answerHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return new Response(NO_BODY.has(status) ? null : Buffer.concat(chunks), { status, statusText: answer.statusMessage, headers: answerHeaders });
}
