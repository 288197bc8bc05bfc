// Requests the engine makes on its users' behalf (a pool's serverless `/start`) go only where they
// may: http(s) URLs, never to link-local or cloud metadata addresses, and to private ranges only when
// allowed — like the real engine's outbound guard (`allow_cidrs` / `deny_cidrs`). The check runs on
// the address actually connected to (through the socket's DNS lookup), so a name that resolves to a
// forbidden address later is refused too. Loopback is allowed: a local app is the common endpoint.
import dns from "node:dns";
import net from "node:net";

export interface OutboundPolicy {
  /** CIDRs always refused (link-local and metadata ranges, plus what the user adds). */
  deny: readonly string[];
  /** CIDRs allowed even though a default rule refuses them (e.g. a private network's endpoint). */
  allow: readonly string[];
}

/** Link-local (cloud metadata lives at 169.254.169.254 and fd00:ec2::254), private and unspecified ranges. */
export const DEFAULT_DENY_CIDRS: readonly string[] = [
  "0.0.0.0/8",
  "169.254.0.0/16",
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "100.64.0.0/10",
  "fe80::/10",
  "fc00::/7",
  "::/128",
];

export const DEFAULT_OUTBOUND: OutboundPolicy = { deny: DEFAULT_DENY_CIDRS, allow: [] };

export class OutboundError extends Error {
  constructor(
    readonly code: "invalid_url" | "forbidden_address",
    message: string,
  ) {
    super(message);
    this.name = "OutboundError";
  }
}

function blockList(cidrs: readonly string[]): net.BlockList {
  const list = new net.BlockList();
  for (const cidr of cidrs) {
    const [address, bits] = cidr.split("/");
    const family = net.isIPv6(address) ? "ipv6" : "ipv4";
    list.addSubnet(address, Number(bits ?? (family === "ipv6" ? 128 : 32)), family);
  }
  return list;
}

/** Parses a list of CIDRs (`10.1.0.0/16, fd00::/8`) from a setting; a bad entry is an error. */
export function parseCidrs(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [address, bits] = entry.split("/");
      const max = net.isIPv6(address) ? 128 : 32;
      if (!net.isIP(address) || (bits !== undefined && !(Number(bits) >= 0 && Number(bits) <= max))) {
        throw new OutboundError("invalid_url", `"${entry}" is not a CIDR range`);
      }
      return bits === undefined ? `${address}/${max}` : entry;
    });
}

export class OutboundGuard {
  private readonly denied: net.BlockList;
  private readonly allowed: net.BlockList;

  constructor(policy: OutboundPolicy = DEFAULT_OUTBOUND) {
    this.denied = blockList(policy.deny);
    this.allowed = blockList(policy.allow);
  }

  /** Whether the engine may connect to this IP address. */
  permits(address: string): boolean {
    const family = net.isIPv6(address) ? "ipv6" : "ipv4";
    if (this.allowed.check(address, family)) return true;
    return !this.denied.check(address, family);
  }

  /** A URL the engine may be pointed at: http(s), and a literal address (if any) that is allowed. */
  checkUrl(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new OutboundError("invalid_url", `"${raw.slice(0, 100)}" is not a URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new OutboundError("invalid_url", `only http and https endpoints are allowed, not ${url.protocol}`);
    }
    if (url.username || url.password) throw new OutboundError("invalid_url", "an endpoint URL must not carry credentials");
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (net.isIP(host) && !this.permits(host)) throw forbidden(host);
    return url;
  }

  /** A `lookup` for http.request that refuses forbidden addresses after resolving the name. */
  lookup(): net.LookupFunction {
    return (hostname, options, callback) => {
      dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err, "", 0);
        const list = addresses as dns.LookupAddress[];
        const refused = list.find((entry) => !this.permits(entry.address));
        if (refused) return callback(forbidden(refused.address) as NodeJS.ErrnoException, "", 0);
        if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
        callback(null, list[0].address, list[0].family);
      });
    };
  }
}

function forbidden(address: string): OutboundError {
  return new OutboundError("forbidden_address", `the engine does not connect to ${address} (a link-local, metadata or private address; allow it with WAKELINE_OUTBOUND_ALLOW_CIDRS)`);
}
