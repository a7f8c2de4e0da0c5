/**
 * What every resource provider shares: the stack config from `configure`, and one Chat
 * client made from it (or the environment) when an operation first needs the API.
 */
import type * as pulumi from "@pulumi/pulumi";
import { ChatClient } from "../client/client";
import type { CheckFailure, CheckOutcome } from "./check";
import { resolveConnection, resolveIdentifier, type StackConfig, targetProblem } from "./config";

export abstract class ApiProvider {
  /** The stack config holds the secret key: a private field, shown by no printout of a provider. */
  #config?: StackConfig;
  #chat?: ChatClient;

  /** Takes the stack config; credentials are read from it (or the environment) when first needed. */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.#config = req.config;
  }

  protected client(): ChatClient {
    return (this.#chat ??= new ChatClient(resolveConnection(this.#config)));
  }

  /**
   * `outcome`, with a failure when the region or endpoint settings cannot work: said at
   * preview, before any call, rather than at the first one.
   */
  protected withSettingsChecked(outcome: CheckOutcome): CheckOutcome {
    const problem = targetProblem(this.#config);
    if (!problem) return outcome;
    const failure: CheckFailure = { property: "", reason: `the stack's settings cannot work: ${problem}` };
    return { ...outcome, failures: [...outcome.failures, failure] };
  }

  /** The App admin identifier every request is signed as. */
  protected adminIdentifier(): string {
    return resolveIdentifier(this.#config);
  }
}
