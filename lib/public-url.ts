/**
 * Which LiveKit URL a browser should use, derived from how it reached the app.
 * Pure, so it is unit-tested without a server.
 */
export function publicLivekitUrl(opts: {
  /** LIVEKIT_PUBLIC_URL, which wins when set (deployments). */
  override?: string | undefined;
  /** The internal LiveKit URL; its port is LiveKit's signalling port. */
  internalUrl: string;
  /** The request's Host header (host[:port]). */
  host: string | null;
  /** "https" when the page was reached over TLS (directly or via a proxy). */
  protocol: string;
}): string {
  if (opts.override) return opts.override.replace(/\/+$/, "");
  const internal = new URL(opts.internalUrl.replace(/^http/, "ws"));
  const hostname = hostnameOf(opts.host) ?? internal.hostname;
  if (opts.protocol === "https") {
    // An https page may only open wss://, and only to a host with a trusted
    // certificate: the HTTPS entry point proxies LiveKit signalling on its own origin.
    return `wss://${opts.host ?? hostname}`;
  }
  const port = internal.port || (internal.protocol === "wss:" ? "443" : "80");
  return `${internal.protocol}//${formatHost(hostname)}:${port}`;
}

/**
 * Where a phone should open the app (the "Join from a phone" QR): PHONE_URL when set,
 * else this page's origin when it was reached over https, else none (a plain-http
 * LAN page gets no camera on a phone, so a QR to it would only disappoint).
 */
export function phoneBaseUrl(opts: { configured?: string | undefined; host: string | null; protocol: string }): string | null {
  if (opts.configured) return opts.configured.replace(/\/+$/, "");
  if (opts.protocol === "https" && opts.host && hostnameOf(opts.host)) return `https://${opts.host}`;
  return null;
}

/**
 * The phone URL with the channel preselected (`?channel=N` prefills the join form)
 * and, when the deployment has a JOIN_CODE, the code (`?code=…`).
 */
export function phoneJoinUrl(base: string, channel: number | null, code: string | null = null): string {
  const url = new URL(`${base.replace(/\/+$/, "")}/`);
  if (channel !== null) url.searchParams.set("channel", String(channel));
  if (code) url.searchParams.set("code", code);
  return url.toString();
}

function hostnameOf(host: string | null): string | null {
  if (!host) return null;
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return null;
  }
}

function formatHost(hostname: string): string {
  // URL.hostname keeps IPv6 brackets already; plain names and IPv4 pass through.
  return hostname;
}
