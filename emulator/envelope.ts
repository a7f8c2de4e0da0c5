/**
 * The REST envelope, checked in the order the service checks it (RESTful API overview,
 * doc 34620): content type, SDKAppID, random, identifier, UserSig, admin; then the body.
 */
import { parse as parseLossless } from "lossless-json";

import { type UserSigFailure, verifyUserSig } from "../chat-api/usersig";
import { ApiFailure, CODE } from "./errors";

/** How each UserSig failure is answered (common error codes, doc 34348). */
const SIG_ERRORS: Record<UserSigFailure, [number, string]> = {
  malformed: [CODE.sigMalformed, "Err_TLS_PT_Open_Login_UserSig_Parse_Failed"],
  "sdkappid-mismatch": [CODE.sigSdkAppIdMismatch, "sdkappid in usersig does not match the request"],
  "identifier-mismatch": [CODE.sigIdentifierMismatch, "identifier in usersig does not match the request"],
  expired: [CODE.sigExpired, "usersig expired, generate a new one"],
  "signature-mismatch": [CODE.sigKeyMismatch, "usersig verification failed, check the secret key"],
};

/** Real UserSigs are a few hundred characters; a longer one is refused before it is inflated. */
const MAX_USERSIG_CHARS = 4096;

export class Envelope {
  /** A verified signature is good until it expires: verifying it again per call is wasted work. */
  readonly #verified = new Map<string, number>();
  readonly #secretKey: string;

  constructor(
    private readonly sdkAppId: number,
    secretKey: string,
    private readonly admin: string,
    private readonly nowSeconds: () => number,
  ) {
    this.#secretKey = secretKey;
  }

  /** Throws the ApiFailure the service would answer, or returns when the envelope is good. */
  check(query: URLSearchParams): void {
    if (query.get("contenttype") !== "json") throw new ApiFailure(CODE.httpParse, "contenttype must be json");
    const appIdText = query.get("sdkappid");
    if (!appIdText) throw new ApiFailure(CODE.sdkAppIdMissing, "sdkappid is missing");
    if (!/^\d+$/.test(appIdText)) throw new ApiFailure(CODE.sdkAppIdInvalid, "sdkappid is invalid");
    if (Number(appIdText) !== this.sdkAppId)
      throw new ApiFailure(CODE.sdkAppIdNotFound, "sdkappid not found, check the data center domain");
    const random = query.get("random");
    if (random === null || !/^\d{1,10}$/.test(random) || Number(random) > 4294967295) {
      throw new ApiFailure(CODE.httpParse, "random must be an integer from 0 to 4294967295");
    }
    const identifier = query.get("identifier");
    if (!identifier) throw new ApiFailure(CODE.identifierInvalid, "identifier is missing");
    const userSig = query.get("usersig");
    if (!userSig) throw new ApiFailure(CODE.sigEmpty, "usersig is empty");
    this.verify(identifier, userSig);
    if (identifier !== this.admin) throw new ApiFailure(CODE.needsAdmin, "this request needs the App admin identifier");
  }

  private verify(identifier: string, userSig: string): void {
    const cacheKey = `${identifier}\n${userSig}`;
    const cachedExpiry = this.#verified.get(cacheKey);
    if (cachedExpiry !== undefined && this.nowSeconds() <= cachedExpiry) return;
    const result =
      userSig.length > MAX_USERSIG_CHARS
        ? ({ ok: false, reason: "malformed" } as const)
        : verifyUserSig({
            userSig,
            sdkAppId: this.sdkAppId,
            secretKey: this.#secretKey,
            identifier,
            now: this.nowSeconds(),
          });
    if (!result.ok) {
      this.#verified.delete(cacheKey);
      const [code, info] = SIG_ERRORS[result.reason];
      throw new ApiFailure(code, info);
    }
    if (this.#verified.size >= 10_000) this.#verified.clear();
    this.#verified.set(cacheKey, result.expiresAt);
  }
}

/** The body as a plain JSON object, or 60003 as the service answers. */
export function parseBody(text: string, lossless: boolean): Record<string, unknown> {
  if (text.trim() === "")
    throw new ApiFailure(CODE.jsonParse, "request body is empty, send {} when a command takes no fields");
  let parsed: unknown;
  try {
    parsed = lossless ? parseLossless(text) : JSON.parse(text);
  } catch {
    throw new ApiFailure(CODE.jsonParse, "request body is not valid JSON");
  }
  // Only a plain object: lossless parsing turns a bare number into a LosslessNumber object.
  if (typeof parsed !== "object" || parsed === null || Object.getPrototypeOf(parsed) !== Object.prototype) {
    throw new ApiFailure(CODE.jsonParse, "request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}
