/**
 * The ChatGroup resource as a Pulumi program sees it: its arguments and its outputs. The
 * lifecycle runs elsewhere (provider.ts), reached through the shim saved in state.
 */
import * as pulumi from "@pulumi/pulumi";

import type { ApplyJoinOption, GroupType, InviteJoinOption } from "../../chat-api/groups";
import { type ArgsMatch, outputKeys } from "../fields/table";
import { ShimResource } from "../program/shim";
import { FIELDS } from "./fields";

/** The REST type names, and the newer client-SDK names accepted as aliases. */
export type ChatGroupType = GroupType | "Work" | "Meeting";

/**
 * What a ChatGroup is declared with. Names follow the REST API in camelCase; every limit is checked
 * by `pulumi preview`.
 */
export interface ChatGroupArgs {
  /**
   * The app it lives in: the name of a profile of the stack's `tencent-chat:apps` (each with
   * its own SDKAppID, key, region or endpoint). Moving it to another app replaces it.
   * @default the top-level `tencent-chat:*` settings
   */
  app?: pulumi.Input<string>;
  /** `Private` (alias `Work`), `Public`, `ChatRoom` (alias `Meeting`), `AVChatRoom` or `Community`. Changing it replaces the group. */
  type: pulumi.Input<ChatGroupType>;
  /** Group name, at most 100 bytes of UTF-8. */
  name: pulumi.Input<string>;
  /**
   * Custom group ID: printable ASCII, at most 48 bytes, not starting with `@TGS#` (a
   * Community's must start with `@TGS#_`). Changing it replaces the group.
   * @default a generated `pulumi-<name>-<hash>-<n>` ID: the hash comes from the resource's
   * identity (stack, name, parents), so a rerun of an interrupted `up` finds the group it
   * made; `<n>` counts replacements. Kept across updates.
   */
  groupId?: pulumi.Input<string>;
  /** Owner account (must be an imported account). Changing it hands ownership over; the new owner joins if needed. */
  ownerAccount?: pulumi.Input<string>;
  /** At most 400 bytes. @default "" */
  introduction?: pulumi.Input<string>;
  /** At most 400 bytes. @default "" */
  notification?: pulumi.Input<string>;
  /** Avatar URL, at most 500 bytes. @default "" */
  faceUrl?: pulumi.Input<string>;
  /** Member limit (Tencent's MaxMemberCount on create, MaxMemberNum after). @default the plan's limit */
  maxMemberCount?: pulumi.Input<number>;
  /** How join requests are handled. @default the service's default for the type */
  applyJoinOption?: pulumi.Input<ApplyJoinOption>;
  /** How invitations are handled; not for AVChatRoom. @default the service's default */
  inviteJoinOption?: pulumi.Input<InviteJoinOption>;
  /** Mute everyone but the owner and admins. @default false */
  muteAllMember?: pulumi.Input<boolean>;
  /** Group-level custom fields (keys must be configured in the Chat console). Removing a key deletes it. @default {} */
  appDefinedData?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Accounts this stack keeps in the group; members who joined otherwise are left alone
   * (unless `exclusiveMembers` is set). Not for AVChatRoom. @default []
   */
  members?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Make `members` the group's whole list: `pulumi refresh` reads every member, and `up`
   * removes anyone not declared (the owner excepted), also members added by hand or by another
   * stack, and those a cancelled update added. With it, `pulumi up --refresh` always ends with
   * exactly the declared members. Not for AVChatRoom; a ChatGroupMember of the same group is
   * refused. @default false
   */
  exclusiveMembers?: pulumi.Input<boolean>;
  /**
   * Members this stack makes admins (each must be in `members`; not the owner). One dropped
   * from the list goes back to plain member; admins made otherwise are left alone. Not for
   * AVChatRoom. @default []
   */
  admins?: pulumi.Input<pulumi.Input<string>[]>;
  /** Enable topics (Community only). Changing it replaces the group. @default false */
  supportTopic?: pulumi.Input<boolean>;
  /**
   * Take over a group that already exists with this `groupId`, instead of failing, and
   * bring it to the declared state (dynamic resources cannot use `pulumi import`).
   * @default false
   */
  adoptExisting?: pulumi.Input<boolean>;
}

/** ChatGroupArgs and the field table must name the same fields, each as optional, with values check takes. */
const tied: ArgsMatch<ChatGroupArgs, typeof FIELDS> = true;
void tied;

/** Pulumi exposes as properties only the keys a resource is given: every output is listed, the table's and what only the service reports. */
const OUTPUT_KEYS = Object.fromEntries(
  [...outputKeys(FIELDS), "pendingMembers", "createTime", "memberCount"].map((key) => [key, undefined]),
);

/**
 * A Tencent Cloud Chat group. `pulumi destroy` disbands it with `destroy_group`, and a
 * group that is already gone counts as destroyed, so destroys are idempotent.
 *
 * @example
 * import { ChatGroup } from "pulumi-tencent-chat";
 *
 * const room = new ChatGroup("qa-room", { type: "Public", name: "QA room", introduction: "ephemeral" });
 * export const groupId = room.groupId;
 */
export class ChatGroup extends ShimResource {
  /** The group's ID. */
  declare readonly groupId: pulumi.Output<string>;
  /** The REST type name (aliases resolved). */
  declare readonly type: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly ownerAccount: pulumi.Output<string | undefined>;
  declare readonly introduction: pulumi.Output<string>;
  declare readonly notification: pulumi.Output<string>;
  declare readonly faceUrl: pulumi.Output<string>;
  /** The member limit in force. */
  declare readonly maxMemberCount: pulumi.Output<number | undefined>;
  declare readonly applyJoinOption: pulumi.Output<string | undefined>;
  declare readonly inviteJoinOption: pulumi.Output<string | undefined>;
  declare readonly muteAllMember: pulumi.Output<boolean>;
  declare readonly appDefinedData: pulumi.Output<Record<string, string>>;
  /** Declared members that are in the group; with `exclusiveMembers`, every member but the owner. */
  declare readonly members: pulumi.Output<string[]>;
  declare readonly exclusiveMembers: pulumi.Output<boolean>;
  /** Declared admins that are admins of the group. */
  declare readonly admins: pulumi.Output<string[]>;
  /** Declared members invited to a group whose invitees must accept, who have not yet. */
  declare readonly pendingMembers: pulumi.Output<string[]>;
  declare readonly supportTopic: pulumi.Output<boolean>;
  /** Unix seconds, as the service reports it. */
  declare readonly createTime: pulumi.Output<number>;
  /** Members in the group, however they joined. */
  declare readonly memberCount: pulumi.Output<number>;

  constructor(name: string, args: ChatGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super("ChatGroup", name, { ...OUTPUT_KEYS, ...args }, opts, "groupId");
  }
}
