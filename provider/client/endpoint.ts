/**
 * Where requests go: a Tencent region's REST domain, or an explicit endpoint URL such as the
 * local emulator. Plain http is refused except to a literal loopback address or the name
 * `localhost`, so a typo (or a name like `evil.localhost` that DNS may send anywhere) cannot
 * carry a signed admin request in the clear; an emulator elsewhere (a docker compose
 * service, another machine) needs the explicit `allowInsecureEndpoint`.
 */
import { isIP } from "node:net";

import { mention } from "../../chat-api/redaction";

/**
 * Chat REST domains by data center (RESTful API overview,
 * https://www.tencentcloud.com/document/product/1047/34620). The SDKAppID only
 * exists in the data center it was created in; a mismatch answers 70016 or 70020.
 */
export const REGION_DOMAINS = {
  china: "console.tim.qq.com",
  singapore: "adminapisgp.im.qcloud.com",
  seoul: "adminapikr.im.qcloud.com",
  tokyo: "adminapijpn.im.qcloud.com",
  frankfurt: "adminapiger.im.qcloud.com",
  mumbai: "adminapiind.im.qcloud.com",
  "silicon-valley": "adminapiusa.im.qcloud.com",
  jakarta: "adminapiidn.im.qcloud.com",
  riyadh: "adminapiksa.im.qcloud.com",
} as const;

/**
 * A data center name: `singapore`, `frankfurt`, ... or Tencent's short code (`sgp`, `ger`, ...).
 */
export type Region = keyof typeof REGION_DOMAINS;

/** Other spellings people use: Tencent's domain codes and common short names. */
const ALIASES: Record<string, Region> = {
  cn: "china",
  sgp: "singapore",
  sg: "singapore",
  kr: "seoul",
  korea: "seoul",
  jpn: "tokyo",
  jp: "tokyo",
  japan: "tokyo",
  ger: "frankfurt",
  de: "frankfurt",
  germany: "frankfurt",
  ind: "mumbai",
  india: "mumbai",
  usa: "silicon-valley",
  us: "silicon-valley",
  siliconvalley: "silicon-valley",
  "silicon valley": "silicon-valley",
  idn: "jakarta",
  id: "jakarta",
  indonesia: "jakarta",
  ksa: "riyadh",
  "saudi-arabia": "riyadh",
};

/**
 * An unknown region, or an endpoint the client refuses (plain http off loopback without
 * `allowInsecureEndpoint`).
 */
export class EndpointError extends Error {
  override name = "EndpointError";
}

export function regionDomain(region: string): string {
  const key = region.trim().toLowerCase().replace(/_/g, "-");
  // Own keys only: a region named "constructor" is not a region.
  const name: Region | undefined = Object.hasOwn(REGION_DOMAINS, key)
    ? (key as Region)
    : Object.hasOwn(ALIASES, key)
      ? ALIASES[key]
      : undefined;
  if (!name) {
    throw new EndpointError(
      `region ${mention(region)} is not a Chat data center; use one of ${Object.keys(REGION_DOMAINS).join(", ")}`,
    );
  }
  return REGION_DOMAINS[name];
}

/** A literal loopback address (127.0.0.0/8, ::1) or exactly `localhost`. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1";
  return false;
}

export interface Target {
  endpoint?: string;
  region?: string;
  /** Allow plain http to an endpoint that is not loopback. @default false */
  allowInsecureEndpoint?: boolean;
}

/** The base URL (no trailing slash) for an explicit endpoint or a region. */
export function resolveBaseUrl(target: Target): string {
  if (!target.endpoint) return `https://${regionDomain(target.region ?? "china")}`;
  let url: URL;
  try {
    url = new URL(target.endpoint);
  } catch {
    throw new EndpointError(`endpoint ${mention(target.endpoint)} is not a URL`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new EndpointError("endpoint must be a base URL without query, fragment or credentials");
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname) && !target.allowInsecureEndpoint) {
    throw new EndpointError(
      `endpoint ${url.origin} uses plain http: signed admin requests must use https. http is allowed to 127.0.0.1, [::1] and localhost ` +
        "(the emulator); for an emulator elsewhere, set tencent-chat:allowInsecureEndpoint (TENCENT_CHAT_ALLOW_INSECURE_ENDPOINT) to true",
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new EndpointError(`endpoint protocol ${url.protocol} is not http or https`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
