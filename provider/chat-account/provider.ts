/**
 * The ChatAccount lifecycle: account_import to create (honest about accounts that already
 * exist), account_check and portrait_get to read, portrait_set to update, account_delete
 * to delete (an account already gone counts as deleted).
 */
import type * as pulumi from "@pulumi/pulumi";
import { PROFILE_TAGS } from "../client/client";
import { ApiProvider } from "../dynamic/api-provider";
import { guarded, ResourceInitError } from "../dynamic/errors";
import { type ChatAccountInputs, checkAccountInputs } from "./inputs";

type Props = Record<string, unknown>;

/** account_delete's ResultCode for an account that does not exist. */
const ACCOUNT_NOT_IMPORTED = 70107;

export interface ChatAccountOutputs extends ChatAccountInputs {
  nick: string;
  faceUrl: string;
}

export class ChatAccountProvider extends ApiProvider implements Required<pulumi.dynamic.ResourceProvider> {
  async check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    return checkAccountInputs(news ?? {});
  }

  async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    const replaces = olds.userId !== news.userId ? ["userId"] : [];
    const updates = (["nick", "faceUrl"] as const).filter((k) => news[k] !== undefined && news[k] !== olds[k]);
    return { changes: replaces.length + updates.length > 0, replaces, deleteBeforeReplace: false };
  }

  create(props: Props): Promise<pulumi.dynamic.CreateResult> {
    const inputs = props as unknown as ChatAccountInputs;
    return guarded(`creating chat account ${inputs.userId}`, async () => {
      const client = this.client();
      const exists = (await client.checkAccounts([inputs.userId])).get(inputs.userId) === true;
      if (exists && !inputs.adoptExisting) {
        // account_import would answer OK and silently hand this stack someone else's account.
        throw new Error(
          `account ${inputs.userId} already exists and this stack did not create it. ` +
            "Set adoptExisting: true to manage it from this stack (pulumi destroy will then delete it), or choose another userId.",
        );
      }
      if (exists) await this.setProfile(inputs, {});
      else await client.importAccount({ userId: inputs.userId, nick: inputs.nick || undefined, faceUrl: inputs.faceUrl || undefined });
      try {
        return { id: inputs.userId, outs: await this.readBack(inputs) };
      } catch (err) {
        throw new ResourceInitError(inputs.userId, { ...inputs }, err);
      }
    });
  }

  private async setProfile(want: ChatAccountInputs, current: { nick?: string; faceUrl?: string }): Promise<void> {
    const fields: Record<string, string> = {};
    if (want.nick !== undefined && want.nick !== current.nick) fields[PROFILE_TAGS.nick] = want.nick;
    if (want.faceUrl !== undefined && want.faceUrl !== current.faceUrl) fields[PROFILE_TAGS.faceUrl] = want.faceUrl;
    if (Object.keys(fields).length) await this.client().setProfile(want.userId, fields);
  }

  private async profile(userId: string): Promise<{ nick: string; faceUrl: string } | undefined> {
    const result = (await this.client().getProfiles([userId], [PROFILE_TAGS.nick, PROFILE_TAGS.faceUrl])).get(userId);
    if (!result || result.resultCode !== 0) return undefined;
    return { nick: result.fields[PROFILE_TAGS.nick] ?? "", faceUrl: result.fields[PROFILE_TAGS.faceUrl] ?? "" };
  }

  private async readBack(inputs: ChatAccountInputs): Promise<ChatAccountOutputs> {
    const profile = await this.profile(inputs.userId);
    if (!profile) throw new Error(`account ${inputs.userId} has no profile yet`);
    return { ...inputs, ...profile };
  }

  read(id: string, props?: Props): Promise<pulumi.dynamic.ReadResult> {
    return guarded(`reading chat account ${id}`, async () => {
      const exists = (await this.client().checkAccounts([id])).get(id) === true;
      if (!exists) return { id: "" };
      const profile = await this.profile(id);
      return { id, props: { adoptExisting: false, ...(props ?? {}), userId: id, ...(profile ?? {}) } };
    });
  }

  update(id: string, _olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const want = { ...(news as unknown as ChatAccountInputs), userId: id };
    return guarded(`updating chat account ${id}`, async () => {
      const current = await this.profile(id);
      if (!current) throw new Error(`account ${id} no longer exists; run \`pulumi refresh\` to drop it, then \`pulumi up\` to import it again`);
      await this.setProfile(want, current);
      return { outs: await this.readBack(want) };
    });
  }

  delete(id: string): Promise<void> {
    return guarded(`deleting chat account ${id}`, async () => {
      const [result] = await this.client().deleteAccounts([id]);
      if (result && result.resultCode !== 0 && result.resultCode !== ACCOUNT_NOT_IMPORTED) {
        throw new Error(`account_delete failed for ${id}: ${result.resultCode} ${result.resultInfo}`);
      }
    });
  }
}
