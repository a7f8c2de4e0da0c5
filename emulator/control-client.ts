/**
 * A typed client for the emulator's `/emulator/v1/` control endpoints, for tests, the demo
 * and benchmarks.
 */
import type { EmulatorConfig, FaultAction, FaultInput, RandomFaults, ScriptedFault } from "./control-types";
import type { AccountRecord, GroupRecord } from "./model";
import type { LoggedRequest } from "./request-log";

export type { EmulatorConfig, FaultInput } from "./control-types";

/** The header that carries the control token. */
export const CONTROL_TOKEN_HEADER = "x-emulator-control-token";

/**
 * A typed client for the emulator's control endpoints (`/emulator/v1/`): its state, settings,
 * faults and request log.
 */
export class EmulatorControl {
  readonly #token?: string;

  /** `token`: the emulator's control token, when it was started with one. */
  constructor(
    private readonly baseUrl: string,
    options: { token?: string } = {},
  ) {
    this.#token = options.token;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/emulator/v1/${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(this.#token === undefined ? {} : { [CONTROL_TOKEN_HEADER]: this.#token }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T & { error?: string };
    if (!res.ok) throw new Error(`emulator control ${method} ${path} failed: ${res.status} ${json.error ?? ""}`);
    return json;
  }

  async reset(): Promise<void> {
    await this.call("POST", "reset");
  }

  state(): Promise<{ groups: GroupRecord[]; accounts: AccountRecord[] }> {
    return this.call("GET", "state");
  }

  async requests(command?: string): Promise<LoggedRequest[]> {
    const query = command ? `?command=${encodeURIComponent(command)}` : "";
    return (await this.call<{ requests: LoggedRequest[] }>("GET", `requests${query}`)).requests;
  }

  async clearRequests(): Promise<void> {
    await this.call("DELETE", "requests");
  }

  async addFault(fault: FaultInput): Promise<void> {
    await this.call("POST", "faults", fault);
  }

  async setRandomFaults(random: Omit<RandomFaults, "actions"> & { actions?: FaultAction[] }): Promise<void> {
    await this.call("PUT", "faults/random", random);
  }

  faults(): Promise<{ scripted: ScriptedFault[]; random: RandomFaults | null }> {
    return this.call("GET", "faults");
  }

  async clearFaults(): Promise<void> {
    await this.call("DELETE", "faults");
  }

  config(): Promise<EmulatorConfig> {
    return this.call("GET", "config");
  }

  configure(config: Partial<EmulatorConfig>): Promise<EmulatorConfig> {
    return this.call("PUT", "config", config);
  }
}
