// One HTTP exchange with Netcare, on node:http(s): a panel is sent as one buffer, without the
// web-stream copies fetch makes of every body (a province's run sends about a gigabyte).
// Keep-alive comes from Node's global agents, whose idle sockets do not keep a process alive.
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * `written`: the whole request had been handed to the connection when it failed, so Netcare
 * may have received it and acted on it; a failure before that (refused, no such host, no
 * connection in time) certainly reached no one.
 */
export type Answer = { status: number; body: unknown; retryAfterMs: number | undefined } | { failed: string; written: boolean };

export type Outgoing = { method: 'GET' | 'POST'; headers: Record<string, string>; body?: Uint8Array };

/**
 * Every failure becomes `{ failed }` in words that name no patient. One timer covers the whole
 * exchange, the answer's body included, and is cleared as soon as the exchange is settled:
 * AbortSignal.timeout left each request's timer pending until its signal was collected, which
 * cost a province's run (4,334 requests) 40–200 µs a request.
 */
export function send(url: string, outgoing: Outgoing, timeoutMs: number): Promise<Answer> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  const headers = outgoing.body ? { ...outgoing.headers, 'Content-Length': String(outgoing.body.length) } : outgoing.headers;
  return new Promise((resolve) => {
    let written = false;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (answer: Answer) => {
      clearTimeout(timer);
      resolve(answer);
    };
    const failed = (error: unknown) => settle({ failed: timedOut ? `no answer within ${timeoutMs} ms` : describe(error), written });
    let req: ClientRequest;
    try {
      req = request(url, { method: outgoing.method, headers }, (response) => {
        read(response).then((text) => settle({
          status: response.statusCode ?? 0,
          body: parseJson(text),
          retryAfterMs: retryAfterMs(response.headers['retry-after']),
        }), failed);
      });
    } catch (error) {
      failed(error);
      return;
    }
    timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error('timed out'));
    }, timeoutMs);
    req.on('error', failed);
    req.on('finish', () => (written = true));
    req.end(outgoing.body);
  });
}

function read(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('the answer was cut off')));
  });
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^E[A-Z_]+$/.test(code) ? `connection failed (${code})` : 'connection failed';
}

/** Retry-After is either seconds or an HTTP date (RFC 9110). */
function retryAfterMs(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
