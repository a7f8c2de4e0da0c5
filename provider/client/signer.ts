/**
 * The admin UserSig, generated once and reused until shortly before it expires (Tencent
 * allows reusing one signature for every call until it expires).
 */
import { generateUserSig } from "../usersig";

export interface SignerConfig {
  sdkAppId: number;
  secretKey: string;
  identifier: string;
  /** Validity of each signature in seconds. @default 86400 */
  ttlSeconds?: number;
}

/** Renew this long before expiry, so a signature never expires in flight. */
const RENEW_BEFORE_SECONDS = 300;

export class AdminSigner {
  private sig?: { value: string; expiresAt: number };

  constructor(
    private readonly config: SignerConfig,
    /** Unix milliseconds. */
    private readonly now: () => number = Date.now,
  ) {}

  /** A signature valid for at least the next few minutes. */
  current(): string {
    const nowSeconds = Math.floor(this.now() / 1000);
    if (!this.sig || nowSeconds + RENEW_BEFORE_SECONDS >= this.sig.expiresAt) return this.issue(nowSeconds);
    return this.sig.value;
  }

  /** A fresh signature, e.g. after the service answered 70001 (expired). */
  renew(): string {
    return this.issue(Math.floor(this.now() / 1000));
  }

  private issue(now: number): string {
    const ttl = this.config.ttlSeconds ?? 86400;
    const value = generateUserSig({ ...this.config, expireSeconds: ttl, now });
    this.sig = { value, expiresAt: now + ttl };
    return value;
  }
}
