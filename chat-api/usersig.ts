/**
 * TLSSigAPIv2 UserSig generation and verification.
 *
 * A UserSig is a zlib-deflated JSON document carrying an HMAC-SHA256 over the identifier,
 * SDKAppID, issue time and validity, encoded in Tencent's URL-safe Base64 variant
 * (`+` → `*`, `/` → `-`, `=` → `_`). The output matches Tencent's official `tls-sig-api-v2`
 * package byte for byte; verification follows the checks of Tencent's Go `VerifyUserSig`.
 *
 * Pure functions: no I/O, and the clock is a parameter.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { deflateSync, inflateSync } from "node:zlib";

/** What a UserSig is made for. */
export interface UserSigRequest {
  sdkAppId: number;
  /** The SDK secret key of the application, as shown in the Chat console. */
  secretKey: string;
  /** The account the signature speaks for (for REST calls, an App admin). */
  identifier: string;
  /** Validity in seconds from `now`. */
  expireSeconds: number;
  /** Issue time in Unix seconds. @default the current time */
  now?: number;
}

/** Why a UserSig was rejected. Each maps to one Tencent ErrorCode (see the emulator). */
export type UserSigFailure =
  "malformed" | "sdkappid-mismatch" | "identifier-mismatch" | "expired" | "signature-mismatch";

/** Whether a UserSig holds, and when it was issued and expires (Unix seconds), or why not. */
export type UserSigVerification =
  { ok: true; issuedAt: number; expiresAt: number } | { ok: false; reason: UserSigFailure };

/** A UserSig to check, and the app, account and moment to check it against. */
export interface UserSigVerifyRequest {
  userSig: string;
  sdkAppId: number;
  secretKey: string;
  identifier: string;
  /** Unix seconds to check expiry against. @default the current time */
  now?: number;
}

interface SigDocument {
  "TLS.ver": string;
  "TLS.identifier": string;
  "TLS.sdkappid": number;
  "TLS.time": number;
  "TLS.expire": number;
  "TLS.userbuf"?: string;
  "TLS.sig": string;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function hmac(
  secretKey: string,
  identifier: string,
  sdkAppId: number,
  time: number,
  expire: number,
  userbuf?: string,
): string {
  let content =
    `TLS.identifier:${identifier}\n` + `TLS.sdkappid:${sdkAppId}\n` + `TLS.time:${time}\n` + `TLS.expire:${expire}\n`;
  if (userbuf !== undefined) content += `TLS.userbuf:${userbuf}\n`;
  return createHmac("sha256", secretKey).update(content).digest("base64");
}

function toSigAlphabet(base64: string): string {
  return base64.replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_");
}

function fromSigAlphabet(sig: string): string {
  return sig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");
}

/**
 * Generates a UserSig for `identifier`.
 *
 * @example
 * const sig = generateUserSig({ sdkAppId: 1400000000, secretKey, identifier: "administrator", expireSeconds: 86400 });
 */
export function generateUserSig(req: UserSigRequest): string {
  const time = req.now ?? nowSeconds();
  // Key order and value types follow the official implementation exactly, so that the
  // deflated bytes are identical.
  const doc: SigDocument = {
    "TLS.ver": "2.0",
    "TLS.identifier": String(req.identifier),
    "TLS.sdkappid": Number(req.sdkAppId),
    "TLS.time": time,
    "TLS.expire": Number(req.expireSeconds),
    "TLS.sig": hmac(req.secretKey, req.identifier, req.sdkAppId, time, req.expireSeconds),
  };
  return toSigAlphabet(deflateSync(Buffer.from(JSON.stringify(doc))).toString("base64"));
}

/** A signature's JSON is a few hundred bytes: inflating stops well past that (a zip bomb is malformed). */
const MAX_INFLATED_BYTES = 4096;

function decode(userSig: string): SigDocument | undefined {
  if (userSig.length === 0 || !/^[A-Za-z0-9*\-_]+$/.test(userSig)) return undefined;
  try {
    const inflated = inflateSync(Buffer.from(fromSigAlphabet(userSig), "base64"), {
      maxOutputLength: MAX_INFLATED_BYTES,
    });
    const json: unknown = JSON.parse(inflated.toString("utf8"));
    if (typeof json !== "object" || json === null) return undefined;
    const doc = json as Record<string, unknown>;
    const ok =
      typeof doc["TLS.identifier"] === "string" &&
      typeof doc["TLS.sdkappid"] === "number" &&
      typeof doc["TLS.time"] === "number" &&
      typeof doc["TLS.expire"] === "number" &&
      typeof doc["TLS.sig"] === "string" &&
      (doc["TLS.userbuf"] === undefined || typeof doc["TLS.userbuf"] === "string");
    return ok ? (doc as unknown as SigDocument) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a UserSig the way the Chat service does, in the same order as Tencent's Go
 * `VerifyUserSig`: SDKAppID, identifier, expiry, then the HMAC.
 */
export function verifyUserSig(req: UserSigVerifyRequest): UserSigVerification {
  const doc = decode(req.userSig);
  if (!doc) return { ok: false, reason: "malformed" };
  if (doc["TLS.sdkappid"] !== Number(req.sdkAppId)) return { ok: false, reason: "sdkappid-mismatch" };
  if (doc["TLS.identifier"] !== req.identifier) return { ok: false, reason: "identifier-mismatch" };
  const issuedAt = doc["TLS.time"];
  const expiresAt = issuedAt + doc["TLS.expire"];
  if ((req.now ?? nowSeconds()) > expiresAt) return { ok: false, reason: "expired" };
  const expected = Buffer.from(
    hmac(req.secretKey, doc["TLS.identifier"], doc["TLS.sdkappid"], issuedAt, doc["TLS.expire"], doc["TLS.userbuf"]),
  );
  const actual = Buffer.from(doc["TLS.sig"]);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    return { ok: false, reason: "signature-mismatch" };
  }
  return { ok: true, issuedAt, expiresAt };
}
