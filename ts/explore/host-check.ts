// The Host header check against DNS rebinding: a web page on evil.example can point its own name at 127.0.0.1 and
// then read this server from the browser, but its requests still say "Host: evil.example". Only a Host that names
// this server directly is answered: localhost or an IP literal (no DNS involved, so no rebinding), or the name the
// server was told to listen on, each with the server's port.
import { isIP } from 'node:net';

/** Whether a request's Host header names this server, listening on `listenHost` and `port`. */
export function hostAllowed(header: string | undefined, server: { listenHost: string; port: number }): boolean {
  if (header === undefined) return false;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+):(\d+)$/i.exec(header.trim());
  if (!match || Number(match[2]) !== server.port) return false;
  const name = match[1]!.toLowerCase();
  const literal = name.startsWith('[') ? isIP(name.slice(1, -1)) === 6 : isIP(name) === 4;
  return literal || name === 'localhost' || name === server.listenHost.toLowerCase();
}
