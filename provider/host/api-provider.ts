/**
 * What every resource provider shares: the stack config from `configure`, and one Chat
 * client per app, made from it (or the environment) when an operation first needs the API.
 *
 * A resource names its app with the `app` input (a profile of `tencent-chat:apps`, see
 * config.ts), or uses the top-level settings. Each operation runs "as" its resource's app
 * (`asApp`), so every `client()` call inside it, however deep, reaches that app; the app is
 * kept for the operation in an AsyncLocalStorage, so concurrent operations of different apps
 * cannot mix.
 */
import { AsyncLocalStorage } from "node:async_hooks";

import type * as pulumi from "@pulumi/pulumi";

import { ChatClient } from "../client/client";
import { appOf, type CheckFailure, type CheckOutcome, isUnknown } from "../common/check";
import {
  appConnection,
  ConfigurationError,
  DEFAULT_IDENTIFIER,
  forApp,
  resolveIdentifier,
  type StackConfig,
  targetProblem,
  workGroupAdminsAllowed,
} from "../common/config";

const operationApp = new AsyncLocalStorage<string | undefined>();

export abstract class ApiProvider {
  /** The stack config holds the secret keys: a private field, shown by no printout of a provider. */
  #config?: StackConfig;
  readonly #clients = new Map<string, ChatClient>();

  /** Takes the stack config; credentials are read from it (or the environment) when first needed. */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.#config = req.config;
  }

  /** Runs `work` as an operation on `app` (undefined: the top-level settings). */
  protected asApp<T>(app: string | undefined, work: () => T): T {
    return operationApp.run(app, work);
  }

  /** The app of the operation under way. */
  protected currentApp(): string | undefined {
    return operationApp.getStore();
  }

  /**
   * What identifies the app an operation reaches: its SDKAppID, whichever profile (or the
   * top-level settings) names it, so that two profiles of one app share what this process
   * knows of its objects (held.ts, declared-members.ts). The profile's name when the
   * credentials cannot be read yet (a preview without them).
   */
  protected appScope(app: string | undefined = this.currentApp()): string {
    try {
      return String(appConnection(this.#config, app).sdkAppId);
    } catch (err) {
      if (!(err instanceof ConfigurationError)) throw err;
      return `profile:${app ?? ""}`;
    }
  }

  /** The client of the current operation's app. */
  protected client(): ChatClient {
    const app = this.currentApp();
    let chat = this.#clients.get(app ?? "");
    if (!chat) {
      chat = new ChatClient(appConnection(this.#config, app));
      this.#clients.set(app ?? "", chat);
    }
    return chat;
  }

  /**
   * `outcome`, with a failure when the settings of the app `news` names cannot work (an app no
   * profile names, a region or endpoint that cannot be reached): said at preview, before any
   * call, rather than at the first one. An app not known yet (a preview) is checked at `up`.
   */
  protected withSettingsChecked(outcome: CheckOutcome, news: Record<string, unknown> | undefined): CheckOutcome {
    if (isUnknown(news?.app)) return outcome;
    const app = appOf(news);
    let problem: string | undefined;
    try {
      const view = forApp(this.#config, app);
      problem = targetProblem(view.config, view.env);
      workGroupAdminsAllowed(this.#config, app);
    } catch (err) {
      if (!(err instanceof ConfigurationError)) throw err;
      problem = err.message;
    }
    if (!problem) return outcome;
    const failure: CheckFailure = {
      property: app === undefined ? "" : "app",
      reason: `the stack's settings cannot work: ${problem}`,
    };
    return { ...outcome, failures: [...outcome.failures, failure] };
  }

  /** Whether `app` takes admins in a Work (Private) group (config.ts); a setting that cannot be read counts as no, and check says why. */
  protected workGroupAdmins(app: string | undefined = this.currentApp()): boolean {
    try {
      return workGroupAdminsAllowed(this.#config, app);
    } catch (err) {
      if (err instanceof ConfigurationError) return false;
      throw err;
    }
  }

  /** The App admin identifier every request to `app` is signed as. */
  protected adminIdentifier(app?: string): string {
    try {
      const view = forApp(this.#config, app);
      return resolveIdentifier(view.config, view.env);
    } catch (err) {
      // An app no profile names: check says so (withSettingsChecked).
      if (err instanceof ConfigurationError) return DEFAULT_IDENTIFIER;
      throw err;
    }
  }
}
