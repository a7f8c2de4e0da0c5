/**
 * The ChatGroupMember lifecycle: one account in one group, which the stack may or may not
 * own. add_group_member to create (a membership that exists is taken over, and said so),
 * modify_group_member_info for the role and name card, get_specified_group_member_info to
 * read (the one account, however large its group; get_group_info's base fields for the group),
 * delete_group_member to delete. It never touches another member. An account that is no
 * longer a member, or whose group is gone, counts as deleted.
 */
import type * as pulumi from "@pulumi/pulumi";

import type { GroupInfo, MemberInfo } from "../../chat-api/bodies";
import { GROUP_GONE_CODES } from "../../chat-api/codes";
import { isMemberNow, MEMBER_RESULT, notAddedText } from "../../chat-api/groups";
import type { AppRules } from "../chat-group/inputs";
import { isApiError } from "../client/errors";
import { appOf } from "../common/check";
import { fieldsWhere, modifyValues, propertiesSet } from "../fields/table";
import { declaringGroup } from "../host/declared-members";
import { ResourceInitError } from "../host/errors";
import { type Comparison, LifecycleProvider } from "../host/lifecycle";
import { FIELDS } from "./fields";
import { type ChatGroupMemberInputs, checkMemberInputs, PROPERTIES } from "./inputs";
import { type ChatGroupMemberOutputs, membershipId, readMemberInputs, readMemberState } from "./state";

type Props = Record<string, unknown>;

/** What modify_group_member_info must send to bring `live` to what `want` declares. */
export function membershipChanges(
  want: ChatGroupMemberInputs,
  live: { role: string; nameCard: string },
): { Role?: "Admin" | "Member"; NameCard?: string } {
  return modifyValues(FIELDS, { Role: live.role, NameCard: live.nameCard }, want) as {
    Role?: "Admin" | "Member";
    NameCard?: string;
  };
}

/** The inputs modify_group_member_info changes in place. */
const UPDATED_FIELDS = fieldsWhere(FIELDS, (f) => f.change === "update");
/** Fixed at create: a change makes a new membership. */
const REPLACED_FIELDS = fieldsWhere(FIELDS, (f) => f.change === "replace");

/** Why the group cannot hold this membership as declared, or undefined when it can. */
function groupProblem(group: GroupInfo, want: ChatGroupMemberInputs, app: AppRules): string | undefined {
  const id = group.GroupId;
  if (group.Type === "AVChatRoom")
    return `group ${id} is an AVChatRoom, which takes no members from the server: people join it from the client SDK`;
  if (want.role === "Admin" && (group.Type === "Private" || group.Type === "Work") && !app.workGroupAdmins) {
    return `group ${id} is a Work (Private) group, which has no admins (Tencent keeps an owner and members only, docs 269/1502): leave role out, or set it to Member; if \`npm run test:probe\` finds that this app takes them, set tencent-chat:workGroupAdmins to allowed`;
  }
  if (group.Owner_Account && group.Owner_Account === want.account) {
    return `${want.account} is the owner of group ${id}; an owner is not a membership to add or remove (hand ownership over with change_group_owner, or ChatGroup.ownerAccount)`;
  }
  return undefined;
}

const groupMissing = (groupId: string) =>
  new Error(`group ${groupId} does not exist (get_group_info answered 10010 or 10015); a membership needs its group`);

const isGroupGone = (err: unknown) => isApiError(err, GROUP_GONE_CODES);

export class ChatGroupMemberProvider extends LifecycleProvider<ChatGroupMemberInputs, ChatGroupMemberOutputs> {
  protected readonly kind = "ChatGroupMember";
  protected readonly words = {
    object: "chat group membership",
    noun: "membership",
    kept: "with its role and name card as declared",
    remake: "remove the member and add it again",
  };
  protected readonly readers = { inputs: readMemberInputs, state: readMemberState };
  protected readonly inputNames = { properties: PROPERTIES, internal: [] };

  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    const app = appOf(news);
    return this.withSettingsChecked(checkMemberInputs(olds ?? {}, news ?? {}, this.appScope(app)), news);
  }

  /** The group or the account replaces; the role and name card update. */
  protected compare(
    _id: string,
    before: ChatGroupMemberOutputs,
    want: ChatGroupMemberInputs,
    pending: ReadonlySet<string>,
  ): Comparison {
    const replacing = REPLACED_FIELDS.filter((k) => pending.has(k) || want[k] !== before[k]);
    const updating = [
      ...propertiesSet(FIELDS, membershipChanges(want, before)),
      ...UPDATED_FIELDS.filter((k) => pending.has(k)),
    ];
    // The same group and account: the replacement's add would find the member, and take it over.
    return { replacing, updating, deleteFirst: replacing.length === 0 };
  }

  protected creating({ account, groupId }: ChatGroupMemberInputs): string {
    return `adding ${account} to chat group ${groupId}`;
  }

  /**
   * Adds the account, or takes over its membership when it is a member already (said in a
   * warning and in `existed`), then sets the declared role and name card. A failure after the
   * add records the membership, so the next `pulumi up` finishes it.
   */
  protected async createObject(want: ChatGroupMemberInputs): Promise<pulumi.dynamic.CreateResult> {
    const id = membershipId(want.groupId, want.account);
    const group = await this.liveGroup(want.groupId);
    const problem = groupProblem(group, want, { workGroupAdmins: this.workGroupAdmins() });
    if (problem) throw new Error(problem);
    const existed = (await this.liveMember(want.groupId, want.account)) !== undefined;
    if (existed) {
      console.warn(
        `pulumi-tencent-chat: ${want.account} was a member of group ${want.groupId} already; this stack now manages that membership, and \`pulumi destroy\` removes ${want.account} from the group`,
      );
    } else {
      const [added] = await this.client().addGroupMembers(want.groupId, [want.account], { silence: true });
      if (added?.result === MEMBER_RESULT.invited) {
        console.warn(
          `pulumi-tencent-chat: group ${want.groupId}: ${want.account} invited; the role and name card are set once they accept (add_group_member Result 3)`,
        );
        return { id, outs: this.outputs(want, undefined, { pending: true, existed: false }) };
      }
      if (added === undefined || !isMemberNow(added.result)) {
        throw new Error(
          `add_group_member did not add ${want.account} to ${want.groupId} (${added === undefined ? "no result for it" : notAddedText(added.result)})`,
        );
      }
    }
    const adoption = existed ? this.adopted(id) : undefined;
    try {
      return { id, outs: await this.converge(want, { pending: false, existed, adoption }) };
    } catch (err) {
      throw new ResourceInitError(
        id,
        this.outputs(want, undefined, { pending: false, existed, adoption }),
        err,
        `${want.account} was added to ${want.groupId}, but setting its role or name card failed`,
      );
    }
  }

  /** The group's details (no member list); an error naming it when it does not exist. */
  private async liveGroup(groupId: string): Promise<GroupInfo> {
    const group = await this.client().getGroupBase(groupId);
    if (!group) throw groupMissing(groupId);
    return group;
  }

  /** The account's membership, undefined when it is not a member; an error when the group does not exist. */
  private async liveMember(groupId: string, account: string): Promise<MemberInfo | undefined> {
    const read = await this.client().getMember(groupId, account);
    if (read.group === "gone") throw groupMissing(groupId);
    return read.member;
  }

  /** Sets what differs from the declared role and name card, and reads the membership back. */
  private async converge(
    want: ChatGroupMemberInputs,
    extra: Pick<ChatGroupMemberOutputs, "pending" | "existed" | "adoption">,
  ): Promise<Props> {
    const client = this.client();
    const before = await this.liveMember(want.groupId, want.account);
    if (!before)
      throw new Error(
        `${want.account} is not a member of ${want.groupId} (removed outside Pulumi?); run \`pulumi refresh\` to drop it, then \`pulumi up\` to add it again`,
      );
    const fields = membershipChanges(want, { role: before.Role ?? "", nameCard: before.NameCard ?? "" });
    if (Object.keys(fields).length) await client.modifyGroupMember(want.groupId, want.account, fields);
    const after = await this.liveMember(want.groupId, want.account);
    return this.outputs(want, after, extra);
  }

  private outputs(
    want: ChatGroupMemberInputs,
    live: MemberInfo | undefined,
    extra: Pick<ChatGroupMemberOutputs, "pending" | "existed" | "adoption">,
  ): Props {
    const outs: ChatGroupMemberOutputs = { ...want, role: live?.Role ?? "", nameCard: live?.NameCard ?? "", ...extra };
    return Object.fromEntries(Object.entries(outs).filter(([, v]) => v !== undefined));
  }

  /**
   * The membership as the group has it. Dropped when the account left or the group is gone;
   * an invitation not yet accepted stays, as invited.
   */
  protected async readObject(_id: string, saved: ChatGroupMemberOutputs): Promise<Props | undefined> {
    // Memberships of one group share get_specified_group_member_info calls (see ChatClient.getMember).
    const read = await this.client().getMember(saved.groupId, saved.account, { refresh: true });
    if (read.group === "gone") return undefined;
    const live = read.member;
    if (!live && !saved.pending) return undefined;
    return this.outputs({ groupId: saved.groupId, account: saved.account }, live, {
      pending: !live,
      existed: saved.existed,
      adoption: saved.adoption,
    });
  }

  /** The role read back is an input only when a program could declare it: not the owner's, nor an invitee's "". */
  protected override refreshedInputs(outs: Props, props: Props, saved: ChatGroupMemberOutputs): Props {
    const inputs = super.refreshedInputs(outs, props, saved);
    if (inputs.role !== "Admin" && inputs.role !== "Member") delete inputs.role;
    return inputs;
  }

  protected async updateObject(
    _id: string,
    before: ChatGroupMemberOutputs,
    want: ChatGroupMemberInputs,
  ): Promise<pulumi.dynamic.UpdateResult> {
    const problem = groupProblem(await this.liveGroup(want.groupId), want, { workGroupAdmins: this.workGroupAdmins() });
    if (problem) throw new Error(problem);
    return { outs: await this.converge(want, { pending: false, existed: before.existed, adoption: before.adoption }) };
  }

  /**
   * delete_group_member of this account only; "not a member" (the service ignores it) and a
   * group that is gone count as done. An account that a ChatGroup of this deployment now
   * declares (moved from this resource to that group's members) stays, as does an account that
   * has become the group's owner, which no call can remove.
   */
  protected async deleteObject(_id: string, { groupId, account }: ChatGroupMemberOutputs): Promise<void> {
    if (declaringGroup(this.appScope(), groupId, account)) {
      console.warn(
        `pulumi-tencent-chat: ${account} stays in group ${groupId}: the ChatGroup that manages the group declares it in its members now`,
      );
      return;
    }
    const group = await this.client().getGroupBase(groupId);
    if (!group) return;
    if (group.Owner_Account === account) {
      console.warn(
        `pulumi-tencent-chat: ${account} is the owner of group ${groupId} now, so it stays in the group; the membership is no longer managed`,
      );
      return;
    }
    try {
      await this.client().deleteGroupMembers(groupId, [account], { silence: true });
    } catch (err) {
      if (!isGroupGone(err)) throw err;
    }
  }
}
