// The explorer's HTTP server (node:http), read-only: GET and HEAD of
//   /, /index.html, and the other page files of the Site (explorer.js, the .wasm builds, manifest.json, weights.bin);
//   /run/<path>: a regular file inside the run directory (report.html, figures/latent.png, ...).
// A request whose Host header does not name this server (see host-check.ts) is 403, whatever its path; no response
// carries a CORS allowance, so other origins' pages cannot read any of it.
// Everything else is 404: no directory listing, no dot-files, no "." / ".." / empty segments (decoded or not), no
// backslashes or NUL, and no file whose real path (symlinks resolved) lies outside the run directory.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { extname, join, sep } from 'node:path';
import { UsageError } from '../util/usage-error.js';
import { hostAllowed } from './host-check.js';
import { type Site } from './site.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.jsonl': 'application/json',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/** The page runs only its own script and kernels, and fetches only from this server. */
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

export interface ExploreServerOptions {
  site: Site;
  /** The run directory whose files are served under /run/ (none: only the page). */
  runDir?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface ExploreServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The path of a request for a run file, relative to the run directory, as safe segments; undefined for anything
 * that is not a plain relative path downwards.
 */
export function runFileSegments(rawPath: string): string[] | undefined {
  if (!rawPath.startsWith('/run/')) return undefined;
  const segments: string[] = [];
  for (const raw of rawPath.slice('/run/'.length).split('/')) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (s === '' || s.startsWith('.') || /[\\/\0]/.test(s)) return undefined;
    segments.push(s);
  }
  return segments;
}

async function runFile(runDir: string, segments: string[]): Promise<string | undefined> {
  try {
    const root = await realpath(runDir);
    const file = await realpath(join(root, ...segments));
    if (!file.startsWith(root + sep)) return undefined;
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, type: string, body: Uint8Array | string, head: boolean, extra: Record<string, string> = {}): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': bytes.byteLength, ...headers(), ...extra });
  res.end(head ? undefined : bytes);
}

function headers(): Record<string, string> {
  return { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': CSP, 'Referrer-Policy': 'no-referrer' };
}

async function handle(o: ExploreServerOptions & { listenHost: string; boundPort: number }, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const head = req.method === 'HEAD';
  if (!hostAllowed(req.headers.host, { listenHost: o.listenHost, port: o.boundPort })) {
    send(res, 403, 'text/plain; charset=utf-8', `forbidden: the Host header must name this server, e.g. 127.0.0.1:${o.boundPort} or localhost:${o.boundPort}\n`, head);
    return;
  }
  if (req.method !== 'GET' && !head) {
    send(res, 405, 'text/plain; charset=utf-8', 'read-only: only GET and HEAD\n', false, { Allow: 'GET, HEAD' });
    return;
  }
  const raw = (req.url ?? '/').split(/[?#]/, 1)[0]!;
  const name = raw === '/' ? 'index.html' : raw.slice(1);
  const page = o.site.get(name);
  if (page) {
    send(res, 200, page.type, page.body, head);
    return;
  }
  const segments = o.runDir === undefined ? undefined : runFileSegments(raw);
  const file = segments && (await runFile(o.runDir!, segments));
  if (!file) {
    send(res, 404, 'text/plain; charset=utf-8', 'not found\n', head);
    return;
  }
  const size = (await stat(file)).size;
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': size, ...headers() });
  if (head) res.end();
  else createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

export async function startExploreServer(o: ExploreServerOptions): Promise<ExploreServer> {
  const host = o.host ?? '127.0.0.1';
  let boundPort = -1;
  const server = createServer((req, res) => {
    handle({ ...o, listenHost: host, boundPort }, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n', false);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new UsageError(`explore: port ${o.port} on ${host} is in use; choose another with --port`));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(new UsageError(`explore: cannot listen on host ${host} (${e.code}); use --host=127.0.0.1`));
      else reject(e);
    });
    server.listen(o.port ?? 8080, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  boundPort = port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
