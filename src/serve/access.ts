import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { BlockList, isIPv6 } from "node:net";

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** true for the loopback addresses only this machine reaches: 127.0.0.0/8, ::1 (in any spelling, brackets or not) and the name localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === "localhost") return true;
  try {
    return LOOPBACK.check(bare, isIPv6(bare) ? "ipv6" : "ipv4");
  } catch {
    return false; // not an IP address: a name other than localhost
  }
}

/** A random token for a server that other machines can reach: 256 bits from the OS's CSPRNG, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Who may read the server: on loopback anyone on this machine who names it by a loopback Host; elsewhere only who holds the token. */
export interface Gate {
  /** The port the server listens on (the Host header must name it). */
  port: number;
  /** The token every request must carry, or null on loopback. */
  token: string | null;
}

export type Admission = { ok: true; setCookie: string | null } | { ok: false; message: string };

/** The cookie that carries the token after the first load; named after the port, so two servers on one host keep theirs apart. */
export const tokenCookie = (port: number): string => `minima-serve-${port}`;

/**
 * Whether a request may be answered. On loopback the Host header must name a loopback address and the
 * port: a web page elsewhere whose name an attacker re-points at 127.0.0.1 (DNS rebinding) sends its own
 * name and is refused. With a token, the request carries it as `?token=` (the first load, which then sets
 * an HttpOnly SameSite=Strict cookie) or in that cookie (the page's own requests after it).
 */
export function admit(req: IncomingMessage, url: URL, gate: Gate): Admission {
  if (gate.token === null) {
    const host = req.headers.host ?? "";
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(host);
    if (m !== null && isLoopbackHost(m[1]!) && Number(m[2] ?? 80) === gate.port) return { ok: true, setCookie: null };
    return { ok: false, message: `minima serve: refused the Host ${JSON.stringify(host)}: on loopback this server answers only 127.0.0.1, localhost or [::1] on port ${gate.port} (so that no web page can read it through DNS rebinding)` };
  }
  const name = tokenCookie(gate.port);
  const given = url.searchParams.get("token");
  if (given !== null && same(given, gate.token)) {
    return { ok: true, setCookie: `${name}=${gate.token}; HttpOnly; SameSite=Strict; Path=/` };
  }
  if (same(cookie(req, name) ?? "", gate.token)) return { ok: true, setCookie: null };
  return { ok: false, message: "minima serve: this server needs its token: open the URL that minima serve printed (it ends with ?token=…)" };
}

/** The value of cookie `name` in the request, or null. */
function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** Compares in constant time, so the time a refusal takes says nothing about how much of the token was right. */
function same(given: string, token: string): boolean {
  const a = Buffer.from(given), b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
