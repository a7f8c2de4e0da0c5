/**
 * The ChatAccount lifecycle: account_import to create (honest about accounts that already
 * exist), account_check and portrait_get to read, portrait_set to update, account_delete
 * to delete (an account already gone counts as deleted).
 */
import type * as pulumi from "@pulumi/pulumi";

import { beyondRecommended } from "../../chat-api/accounts";
import { CODE } from "../../chat-api/codes";
import { PROFILE_TAGS } from "../client/client";
import { isApiError } from "../client/errors";
import { appOf } from "../common/check";
import { generatedUserId, SEED_PROPERTY } from "../common/identity";
import { fieldsWhere } from "../fields/table";
import { ResourceInitError } from "../host/errors";
import { type Comparison, LifecycleProvider, requireSeed } from "../host/lifecycle";
import { FIELDS } from "./fields";
import { type ChatAccountInputs, checkAccountInputs, PROPERTIES } from "./inputs";
import { type ChatAccountOutputs, readAccountInputs, readAccountState } from "./state";

type Props = Record<string, unknown>;

/** The profile fields portrait_set changes in place, each managed only when declared. */
const UPDATED_FIELDS = fieldsWhere(FIELDS, (f) => f.change === "update");

const isDeletedRecently = (err: unknown) => isApiError(err, CODE.accountDeletedRecently);

/**
 * An app's "invalid parameter" for a userId that holds "." or "@": Tencent's pages only
 * recommend letters, digits, "_" and "-", and this app enforces that (see chat-api/accounts.ts).
 */
function refusedCharacters(err: unknown, userId: string): Error | undefined {
  if (!isApiError(err, CODE.accountInvalidParam) || !beyondRecommended(userId)) return undefined;
  return new Error(
    `${err.message}. userId ${userId} holds "." or "@", which this app does not take: Tencent recommends letters, digits, "_" and "-" only, ` +
      "and some apps enforce that. Choose a userId of those characters (npm run test:probe tells which an app takes).",
  );
}

export class ChatAccountProvider extends LifecycleProvider<ChatAccountInputs, ChatAccountOutputs> {
  protected readonly kind = "ChatAccount";
  protected readonly words = { object: "chat account", noun: "account", remake: "delete it and import it again" };
  protected readonly readers = { inputs: readAccountInputs, state: readAccountState };
  protected readonly inputNames = { properties: PROPERTIES, internal: [SEED_PROPERTY] };

  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    const app = appOf(news);
    return this.withSettingsChecked(checkAccountInputs(olds ?? {}, news ?? {}, this.adminIdentifier(app)), news);
  }

  /**
   * A userId the program chose replaces when it differs; a generated one when its prefix does.
   * An input not known yet (preview) may change: counted as changing, and as replacing for
   * the ID.
   */
  protected compare(
    _id: string,
    before: ChatAccountOutputs,
    want: ChatAccountInputs,
    pending: ReadonlySet<string>,
  ): Comparison {
    const own = ["app", "userId", "userIdPrefix"].filter((k) => pending.has(k));
    if (!pending.has("app") && want.app !== before.app) own.push("app");
    if (!own.length) {
      if (
        want.userId !== undefined
          ? before.userIdPrefix !== undefined || before.userId !== want.userId
          : before.userIdPrefix !== want.userIdPrefix
      ) {
        own.push(want.userId !== undefined ? "userId" : "userIdPrefix");
      }
    }
    const updating = UPDATED_FIELDS.filter((k) => pending.has(k) || (want[k] !== undefined && want[k] !== before[k]));
    // A replacement under the same fixed userId can be imported only once the old account is deleted.
    const sameId =
      !pending.has("userId") && !own.includes("app") && want.userId !== undefined && want.userId === before.userId;
    return { replacing: own, updating, deleteFirst: sameId };
  }

  protected creating(inputs: ChatAccountInputs): string {
    return `creating chat account ${inputs.userId ?? `(generated from ${inputs.userIdPrefix})`}`;
  }

  protected async createObject(inputs: ChatAccountInputs): Promise<pulumi.dynamic.CreateResult> {
    if (inputs.userId === undefined) return this.createGenerated(inputs);
    try {
      return await this.createFixed(inputs, inputs.userId);
    } catch (err) {
      throw refusedCharacters(err, inputs.userId) ?? err;
    }
  }

  private async createFixed(inputs: ChatAccountInputs, userId: string): Promise<pulumi.dynamic.CreateResult> {
    this.refuseAdmin(userId);
    const exists = (await this.client().checkAccounts([userId])).get(userId) === true;
    if (exists && !inputs.adoptExisting) {
      // account_import would answer OK and silently hand this stack someone else's account.
      throw this.alreadyExists(userId, {
        made: "imported",
        otherwise: "choose another userId, or use userIdPrefix to have one generated",
      });
    }
    if (!exists) {
      try {
        await this.import(userId, inputs);
      } catch (err) {
        if (!isDeletedRecently(err)) throw err;
        throw new Error(
          `account ${userId} was deleted less than three months ago, and this app's plan does not allow importing it again until then ` +
            `(${CODE.accountDeletedRecently}). Use userIdPrefix for accounts that environments create and destroy.`,
        );
      }
    }
    return this.finish(userId, inputs, exists);
  }

  /**
   * A generated ID: the first incarnation of the resource's seed that is free, or that holds
   * this resource's own account from an interrupted run. An ID the plan will not import again
   * yet (deleted within three months) is passed over. The service does not say when an account
   * was made, so one the state does not hold is taken over whatever its age (see README).
   */
  private createGenerated(inputs: ChatAccountInputs): Promise<pulumi.dynamic.CreateResult> {
    const seed = requireSeed(inputs.idSeed);
    const prefix = inputs.userIdPrefix;
    if (prefix === undefined)
      throw new Error(
        "the inputs carry neither userId nor userIdPrefix: check refuses that, so the program and the provider are of different versions; run `npm ci`",
      );
    return this.claimIncarnation(
      { ids: "account", instead: "change userIdPrefix" },
      (n) => generatedUserId(prefix, seed, n),
      async (userId) => {
        const exists = (await this.client().checkAccounts([userId])).get(userId) === true;
        if (!exists) {
          try {
            await this.import(userId, inputs);
          } catch (err) {
            if (isDeletedRecently(err)) return undefined;
            throw err;
          }
        }
        return this.finish(userId, { ...inputs, userId }, exists);
      },
    );
  }

  private async import(userId: string, inputs: ChatAccountInputs): Promise<void> {
    await this.client().importAccount({ userId, nick: inputs.nick || undefined, faceUrl: inputs.faceUrl || undefined });
  }

  /**
   * Sets the declared profile of an account that existed (an adoption, noted: see
   * host/held.ts), reads back; a failure records the account.
   */
  private async finish(
    userId: string,
    inputs: ChatAccountInputs,
    existed: boolean,
  ): Promise<pulumi.dynamic.CreateResult> {
    // A takeover's token is in what Pulumi records, whole or in part (host/held.ts).
    const adoption = existed ? this.adopted(userId) : undefined;
    try {
      if (existed) await this.setProfile(userId, inputs, {});
      return { id: userId, outs: { ...(await this.readBack(userId, inputs)), ...(adoption && { adoption }) } };
    } catch (err) {
      throw new ResourceInitError(userId, { ...inputs, userId, ...(adoption && { adoption }) }, err);
    }
  }

  private refuseAdmin(userId: string): void {
    const admin = this.adminIdentifier();
    if (userId === admin)
      throw new Error(
        `account ${userId} is the App admin every request is signed as (tencent-chat:identifier); this stack does not manage it`,
      );
  }

  private async setProfile(
    userId: string,
    want: ChatAccountInputs,
    current: { nick?: string; faceUrl?: string },
  ): Promise<void> {
    const fields: Record<string, string> = {};
    if (want.nick !== undefined && want.nick !== current.nick) fields[PROFILE_TAGS.nick] = want.nick;
    if (want.faceUrl !== undefined && want.faceUrl !== current.faceUrl) fields[PROFILE_TAGS.faceUrl] = want.faceUrl;
    if (Object.keys(fields).length) await this.client().setProfile(userId, fields);
  }

  private async profile(userId: string): Promise<{ nick: string; faceUrl: string } | undefined> {
    const result = (await this.client().getProfiles([userId], [PROFILE_TAGS.nick, PROFILE_TAGS.faceUrl])).get(userId);
    if (!result || result.resultCode !== 0) return undefined;
    return { nick: result.fields[PROFILE_TAGS.nick] ?? "", faceUrl: result.fields[PROFILE_TAGS.faceUrl] ?? "" };
  }

  private async readBack(userId: string, inputs: ChatAccountInputs): Promise<ChatAccountOutputs> {
    const profile = await this.profile(userId);
    if (!profile) throw new Error(`account ${userId} has no profile yet`);
    return { ...inputs, userId, ...profile };
  }

  protected async readObject(id: string, saved: ChatAccountOutputs): Promise<Props | undefined> {
    const exists = (await this.client().checkAccounts([id])).get(id) === true;
    if (!exists) return undefined;
    const profile = await this.profile(id);
    return { ...saved, ...(profile ?? {}) };
  }

  /** A generated ID is not an input: the program sets the prefix. */
  protected override refreshedInputs(outs: Props, props: Props, saved: ChatAccountOutputs): Props {
    const inputs = super.refreshedInputs(outs, props, saved);
    if (outs.userIdPrefix !== undefined) delete inputs.userId;
    return inputs;
  }

  protected async updateObject(
    id: string,
    before: ChatAccountOutputs,
    declared: ChatAccountInputs,
  ): Promise<pulumi.dynamic.UpdateResult> {
    const want = { ...declared, userId: id };
    const current = await this.profile(id);
    if (!current) throw this.noLongerExists(id, { again: "import" });
    await this.setProfile(id, want, current);
    return { outs: await this.readBack(id, { ...before, ...want }) };
  }

  /** account_delete; one already gone (70107) counts as deleted. */
  protected async deleteObject(id: string): Promise<void> {
    this.refuseAdmin(id);
    const [result] = await this.client().deleteAccounts([id]);
    if (result && result.resultCode !== 0 && result.resultCode !== CODE.accountNotFound) {
      throw new Error(`account_delete failed for ${id}: ${result.resultCode} ${result.resultInfo}`);
    }
  }
}
