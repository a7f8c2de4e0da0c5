/**
 * The admin UserSig, generated once and reused until shortly before it expires (Tencent
 * allows reusing one signature for every call until it expires).
 *
 * The key and the signatures live in private fields: `JSON.stringify` and `util.inspect`
 * of a signer, or of a client holding one, show neither.
 */
import { generateUserSig } from "../../chat-api/usersig";

export interface SignerConfig {
  sdkAppId: number;
  secretKey: string;
  identifier: string;
  /** Validity of each signature in seconds. @default 86400 */
  ttlSeconds?: number;
}

/** Renew this long before expiry, so a signature never expires in flight. */
const RENEW_BEFORE_SECONDS = 300;
/** Signatures remembered for redaction: an answer may echo one issued a while ago. */
const REMEMBERED = 8;

export class AdminSigner {
  readonly #config: SignerConfig;
  readonly #now: () => number;
  #sig?: { value: string; expiresAt: number };
  readonly #issued: string[] = [];

  constructor(
    config: SignerConfig,
    /** Unix milliseconds. */
    now: () => number = Date.now,
  ) {
    this.#config = config;
    this.#now = now;
  }

  /** A signature valid for at least the next few minutes. */
  current(): string {
    const nowSeconds = Math.floor(this.#now() / 1000);
    if (!this.#sig || nowSeconds + RENEW_BEFORE_SECONDS >= this.#sig.expiresAt) return this.#issue(nowSeconds);
    return this.#sig.value;
  }

  /** A fresh signature, e.g. after the service answered 70001 (expired). */
  renew(): string {
    return this.#issue(Math.floor(this.#now() / 1000));
  }

  /** The key and the signatures issued lately: what must never appear in a message. */
  secrets(): string[] {
    return [this.#config.secretKey, ...this.#issued];
  }

  #issue(now: number): string {
    const ttl = this.#config.ttlSeconds ?? 86400;
    const value = generateUserSig({ ...this.#config, expireSeconds: ttl, now });
    this.#sig = { value, expiresAt: now + ttl };
    this.#issued.push(value);
    if (this.#issued.length > REMEMBERED) this.#issued.shift();
    return value;
  }
}
