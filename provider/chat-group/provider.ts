/**
 * The ChatGroup lifecycle, run inside Pulumi's dynamic-provider host (loaded there by the
 * shim in state). Every method is guarded: what leaves it is a safe error.
 */
import type * as pulumi from "@pulumi/pulumi";
import { GROUP_ID_TAKEN_CODES } from "../client/client";
import { isChatApiError } from "../client/errors";
import type { GroupInfo } from "../client/schemas";
import { ApiProvider } from "../dynamic/api-provider";
import { withoutUndefined } from "../dynamic/check";
import { guarded, ResourceInitError } from "../dynamic/errors";
import { diffGroup } from "./diff";
import { type ChatGroupInputs, checkInputs } from "./inputs";
import { type ChatGroupOutputs, createRequest, initialMembers, memberChanges, modifyRequest, normaliseType, outputsFrom } from "./mapping";

type Props = Record<string, unknown>;

export class ChatGroupProvider extends ApiProvider implements Required<pulumi.dynamic.ResourceProvider> {
  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    return checkInputs(olds ?? {}, news ?? {});
  }

  async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    const { changes, replaces, deleteBeforeReplace } = diffGroup(olds as Partial<ChatGroupInputs>, news as unknown as ChatGroupInputs);
    return { changes, replaces, deleteBeforeReplace };
  }

  create(props: Props): Promise<pulumi.dynamic.CreateResult> {
    const inputs = props as unknown as ChatGroupInputs;
    return guarded(`creating chat group ${inputs.groupId}`, async () => {
      const client = this.client();
      if (inputs.adoptExisting) {
        const existing = await client.getGroup(inputs.groupId);
        if (existing) return { id: inputs.groupId, outs: await this.adopt(existing, inputs) };
      }
      try {
        await client.createGroup(createRequest(inputs));
      } catch (err) {
        if (isChatApiError(err) && GROUP_ID_TAKEN_CODES.has(err.errorCode)) {
          throw new Error(
            `group ID ${inputs.groupId} is already in use (${err.errorCode} ${err.info}). ` +
              "Set adoptExisting: true to manage that group from this stack, or choose another groupId.",
          );
        }
        throw err;
      }
      // From here the group exists: a failure must hand Pulumi its ID, or the group leaks.
      try {
        return { id: inputs.groupId, outs: await this.finishCreate(inputs) };
      } catch (err) {
        throw new ResourceInitError(inputs.groupId, withoutUndefined({ ...inputs }) as Props, err);
      }
    });
  }

  /** The steps create_group cannot take: members beyond its first 100, and muting. */
  private async finishCreate(inputs: ChatGroupInputs): Promise<ChatGroupOutputs> {
    const client = this.client();
    const sent = new Set(initialMembers(inputs));
    const rest = inputs.members.filter((m) => !sent.has(m) && m !== inputs.ownerAccount);
    if (rest.length) await client.addGroupMembers(inputs.groupId, rest, { silence: true });
    if (inputs.muteAllMember) await client.modifyGroupBaseInfo({ GroupId: inputs.groupId, MuteAllMember: "On" });
    return this.readBack(inputs.groupId, inputs);
  }

  /** Takes over an existing group and brings it to the declared state. */
  private async adopt(existing: GroupInfo, inputs: ChatGroupInputs): Promise<ChatGroupOutputs> {
    const liveType = normaliseType(existing.Type, inputs.type);
    if (liveType !== inputs.type) {
      throw new Error(`group ${inputs.groupId} exists as a ${liveType} group, but the program declares ${inputs.type}; a group's type cannot change`);
    }
    await this.converge(existing, inputs);
    return this.readBack(inputs.groupId, inputs);
  }

  /** Brings a live group to `want`: base fields, members, owner. */
  private async converge(live: GroupInfo, want: ChatGroupInputs, before: Pick<Partial<ChatGroupOutputs>, "members" | "appDefinedData"> = {}): Promise<void> {
    const client = this.client();
    const modify = modifyRequest(want.groupId, live, want, Object.keys(before.appDefinedData ?? {}));
    if (modify) await client.modifyGroupBaseInfo(modify);
    const { add, remove } = memberChanges(live, want, before.members ?? []);
    if (add.length) await client.addGroupMembers(want.groupId, add, { silence: true });
    // A new owner must already be a member: memberChanges added them above.
    if (want.ownerAccount && want.ownerAccount !== live.Owner_Account) await client.changeGroupOwner(want.groupId, want.ownerAccount);
    if (remove.length) await client.deleteGroupMembers(want.groupId, remove, { silence: true });
  }

  private async readBack(groupId: string, declared: ChatGroupInputs): Promise<ChatGroupOutputs> {
    const live = await this.client().getGroup(groupId);
    if (!live) throw new Error(`group ${groupId} disappeared while it was being set up`);
    return outputsFrom(live, declared);
  }

  read(id: string, props?: Props): Promise<pulumi.dynamic.ReadResult> {
    return guarded(`reading chat group ${id}`, async () => {
      const live = await this.client().getGroup(id);
      // Gone: an empty ID tells `pulumi refresh` to drop it from state.
      if (!live) return { id: "" };
      const declared = (props ?? {}) as unknown as ChatGroupInputs;
      return { id, props: outputsFrom(live, { ...declared, members: declared.members ?? [], appDefinedData: declared.appDefinedData ?? {} }) };
    });
  }

  update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    const want = news as unknown as ChatGroupInputs;
    const before = olds as Partial<ChatGroupOutputs>;
    return guarded(`updating chat group ${id}`, async () => {
      const live = await this.client().getGroup(id);
      if (!live) throw new Error(`group ${id} no longer exists (dissolved outside Pulumi?); run \`pulumi refresh\` to drop it, then \`pulumi up\` to create it again`);
      await this.converge(live, { ...want, groupId: id }, { members: before.members, appDefinedData: before.appDefinedData });
      return { outs: await this.readBack(id, want) };
    });
  }

  /** destroy_group; a group already gone (10010, 10015) counts as deleted. */
  delete(id: string): Promise<void> {
    return guarded(`deleting chat group ${id}`, async () => {
      await this.client().destroyGroup(id);
    });
  }
}
