/**
 * Where requests go: a Tencent region's REST domain, or an explicit endpoint URL such as the
 * local emulator. Plain http is refused except on loopback, so a typo cannot send a signed
 * admin request in the clear.
 */
import { isIP } from "node:net";

/**
 * Chat REST domains by data center (shared reference, section 8). The SDKAppID only
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

export class EndpointError extends Error {
  override name = "EndpointError";
}

export function regionDomain(region: string): string {
  const key = region.trim().toLowerCase().replace(/_/g, "-");
  const name = (key in REGION_DOMAINS ? key : ALIASES[key]) as Region | undefined;
  if (!name) {
    throw new EndpointError(`region "${region}" is not a Chat data center; use one of ${Object.keys(REGION_DOMAINS).join(", ")}`);
  }
  return REGION_DOMAINS[name];
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1";
  return false;
}

/** The base URL (no trailing slash) for an explicit endpoint or a region. */
export function resolveBaseUrl(target: { endpoint?: string; region?: string }): string {
  if (!target.endpoint) return `https://${regionDomain(target.region ?? "china")}`;
  let url: URL;
  try {
    url = new URL(target.endpoint);
  } catch {
    throw new EndpointError(`endpoint "${target.endpoint}" is not a URL`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new EndpointError("endpoint must be a base URL without query, fragment or credentials");
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new EndpointError(
      `endpoint ${url.origin} uses plain http: signed admin requests must use https (http is allowed only on loopback, for the emulator)`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new EndpointError(`endpoint protocol ${url.protocol} is not http or https`);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
