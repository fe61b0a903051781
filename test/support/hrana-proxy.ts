// A forwarding proxy in front of a real sqld that notes what passes: the client's HTTP requests
// (Hrana over HTTP: a pipeline request without a baton opens a stream) and the requests on its
// WebSockets (Hrana over WebSocket: `open_stream`, `execute`, `batch`), with how many writes and
// reads were in flight at once. Nothing is changed on the way.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

type Flight = { now: number; most: number };
type HranaRequest = { type: string; stmt?: { sql?: string }; batch?: { steps: { stmt: { sql?: string } }[] } };

export type Seen = {
  /** Each HTTP request: what it asked for (Accept-Encoding) and how it was answered (Content-Encoding). */
  http: { asked: string | undefined; answered: string | undefined }[];
  /** Streams opened (HTTP pipeline without a baton, or `open_stream`) and requests that went on with one. */
  opened: number;
  continued: number;
  /** Requests carried by a WebSocket. */
  overSocket: number;
  /** The extensions sqld accepted on each socket (permessage-deflate would compress). */
  socketExtensions: string[];
  /** Write batches (BEGIN IMMEDIATE) and reads on sockets in flight at once. */
  writes: Flight;
  reads: Flight;
  /** Write batches sent over sockets. */
  writeBatches: number;
};

const isWrite = (r: HranaRequest) => r.type === 'batch' && /^\s*BEGIN IMMEDIATE/i.test(r.batch?.steps[0]?.stmt.sql ?? '');
const isRead = (r: HranaRequest) => r.type === 'execute' || (r.type === 'batch' && !isWrite(r));

export async function hranaProxy(target: string) {
  const seen: Seen = {
    http: [], opened: 0, continued: 0, overSocket: 0, socketExtensions: [],
    writes: { now: 0, most: 0 }, reads: { now: 0, most: 0 }, writeBatches: 0,
  };
  const { hostname, port } = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url?.endsWith('/pipeline')) {
        if ((JSON.parse(body.toString()) as { baton: string | null }).baton) seen.continued++;
        else seen.opened++;
      }
      const forwarded = httpRequest({ hostname, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        seen.http.push({ asked: req.headers['accept-encoding'], answered: answer.headers['content-encoding'] });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forwarded.on('error', () => res.destroy());
      forwarded.end(body);
    });
  });
  const sockets = new WebSocketServer({ noServer: true, handleProtocols: (offered) => [...offered][0] ?? false });
  server.on('upgrade', (req, socket, head) => sockets.handleUpgrade(req, socket, head, (client) => {
    const upstream = new WebSocket(target.replace(/^http/, 'ws'), client.protocol);
    const early: string[] = [];
    const pending = new Map<number, Flight>();
    upstream.on('open', () => {
      seen.socketExtensions.push(upstream.extensions);
      for (const m of early.splice(0)) upstream.send(m);
    });
    upstream.on('message', (m: RawData) => {
      const message = JSON.parse(m.toString()) as { request_id?: number };
      const flight = message.request_id === undefined ? undefined : pending.get(message.request_id);
      if (flight) flight.now--;
      pending.delete(message.request_id!);
      client.send(m.toString());
    });
    upstream.on('close', () => client.close());
    upstream.on('error', () => client.terminate());
    client.on('message', (m: RawData) => {
      const text = m.toString();
      const message = JSON.parse(text) as { type: string; request_id: number; request?: HranaRequest };
      if (message.type === 'request' && message.request) {
        seen.overSocket++;
        const request = message.request;
        if (request.type === 'open_stream') seen.opened++;
        else if (request.type === 'execute' || request.type === 'batch') seen.continued++;
        const flight = isWrite(request) ? seen.writes : isRead(request) ? seen.reads : undefined;
        if (isWrite(request)) seen.writeBatches++;
        if (flight) {
          flight.most = Math.max(flight.most, ++flight.now);
          pending.set(message.request_id, flight);
        }
      }
      if (upstream.readyState === WebSocket.OPEN) upstream.send(text);
      else early.push(text);
    });
    client.on('close', () => upstream.close());
  }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen,
    close: () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      server.close();
    },
  };
}
