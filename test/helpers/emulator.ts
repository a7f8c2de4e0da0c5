/**
 * Test helpers: an emulator on port 0 and a plain-HTTP caller that builds the Chat REST
 * envelope by hand, signing with our code or with Tencent's official package.
 */
import * as TLSSigAPIv2 from "tls-sig-api-v2/TLSSigAPIv2";
import { request } from "undici";

import { generateUserSig } from "../../chat-api/usersig";
import { EmulatorControl } from "../../emulator/control-client";
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "../../emulator/server";

export const TEST_SDKAPPID = 1400000042;
/** A made-up key for tests; it is never printed. */
export const TEST_KEY = "test-secret-key-0123456789abcdef";
export const ADMIN = "administrator";

export type Signer = "ours" | "official";

export function sign(identifier = ADMIN, signer: Signer = "ours", key = TEST_KEY, sdkAppId = TEST_SDKAPPID): string {
  return signer === "official"
    ? new TLSSigAPIv2.Api(sdkAppId, key).genUserSig(identifier, 3600)
    : generateUserSig({ sdkAppId, secretKey: key, identifier, expireSeconds: 3600 });
}

export interface RawResponse {
  status: number;
  text: string;
  /** The parsed body, when it is JSON. */
  json: Record<string, unknown> & { ActionStatus?: string; ErrorCode?: number; ErrorInfo?: string };
}

export interface CallOptions {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  /** Replaces the standard query parameters (set a value to undefined to leave it out). */
  query?: Record<string, string | undefined>;
  /** The raw body; by default the JSON of `body`. */
  rawBody?: string;
  signer?: Signer;
  path?: string;
}

export class TestEmulator {
  readonly control: EmulatorControl;

  private constructor(readonly emulator: RunningEmulator) {
    this.control = new EmulatorControl(emulator.url);
  }

  static async start(options: Partial<EmulatorOptions> = {}): Promise<TestEmulator> {
    return new TestEmulator(await startEmulator({ sdkAppId: TEST_SDKAPPID, secretKey: TEST_KEY, ...options }));
  }

  get url(): string {
    return this.emulator.url;
  }

  close(): Promise<void> {
    return this.emulator.close();
  }

  /** Sends one request exactly as built, and returns what came back. */
  async raw(service: string, command: string, body: unknown = {}, options: CallOptions = {}): Promise<RawResponse> {
    const query: Record<string, string | undefined> = {
      sdkappid: String(TEST_SDKAPPID),
      identifier: ADMIN,
      usersig: sign(ADMIN, options.signer),
      random: String(Math.floor(Math.random() * 4294967296)),
      contenttype: "json",
      ...options.query,
    };
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) search.set(k, v);
    const path = options.path ?? `/v4/${service}/${command}`;
    const res = await request(`${this.url}${path}?${search}`, {
      method: options.method ?? "POST",
      body: options.method === "GET" ? undefined : (options.rawBody ?? JSON.stringify(body)),
      headers: { "content-type": "application/json" },
    });
    const text = await res.body.text();
    let json: RawResponse["json"] = {};
    try {
      json = JSON.parse(text) as RawResponse["json"];
    } catch {
      // Not JSON; `text` says what it was.
    }
    return { status: res.statusCode, text, json };
  }

  /** A group command that must succeed; a failure shows the ErrorCode and body. */
  async group(command: string, body: unknown = {}, options: CallOptions = {}): Promise<RawResponse["json"]> {
    return this.ok("group_open_http_svc", command, body, options);
  }

  async account(command: string, body: unknown = {}, options: CallOptions = {}): Promise<RawResponse["json"]> {
    return this.ok("im_open_login_svc", command, body, options);
  }

  async ok(service: string, command: string, body: unknown, options: CallOptions = {}): Promise<RawResponse["json"]> {
    const res = await this.raw(service, command, body, options);
    if (res.status !== 200 || res.json.ActionStatus !== "OK" || res.json.ErrorCode !== 0) {
      throw new Error(`${command} failed: HTTP ${res.status} ${res.text}`);
    }
    return res.json;
  }

  /** A command that must fail; returns ErrorCode and ErrorInfo. */
  async fails(service: string, command: string, body: unknown = {}, options: CallOptions = {}) {
    const res = await this.raw(service, command, body, options);
    if (res.json.ActionStatus !== "FAIL")
      throw new Error(`${command} was expected to fail: HTTP ${res.status} ${res.text}`);
    return { status: res.status, code: res.json.ErrorCode, info: res.json.ErrorInfo ?? "" };
  }

  groupFails(command: string, body: unknown = {}, options: CallOptions = {}) {
    return this.fails("group_open_http_svc", command, body, options);
  }

  async importAccounts(...ids: string[]): Promise<void> {
    await this.account("multiaccount_import", { Accounts: ids });
  }
}

/** One emulator for a test file, reset before each test. */
export function useEmulator(options: Partial<EmulatorOptions> = {}): () => TestEmulator {
  let emu: TestEmulator | undefined;
  const current = (): TestEmulator => {
    if (!emu) throw new Error("the test emulator did not start");
    return emu;
  };
  beforeAll(async () => {
    emu = await TestEmulator.start(options);
  });
  afterAll(() => emu?.close());
  beforeEach(() => current().control.reset());
  return current;
}
