/**
 * The ChatGroupMember resource: one account in one group, for a stack that puts its bot or
 * its people into a group another stack, or the console, owns.
 */
import type * as pulumi from "@pulumi/pulumi";

import { type ArgsMatch, outputKeys } from "../fields/table";
import { ShimResource } from "../program/shim";
import { FIELDS } from "./fields";

/** What a ChatGroupMember is declared with. */
export interface ChatGroupMemberArgs {
  /**
   * The app it lives in: the name of a profile of the stack's `tencent-chat:apps` (each with
   * its own SDKAppID, key, region or endpoint). Moving it to another app replaces it.
   * @default the top-level `tencent-chat:*` settings
   */
  app?: pulumi.Input<string>;
  /**
   * The group: a ChatGroup's `groupId` output, or the ID of a group this stack does not
   * manage. Not an AVChatRoom, which takes no members from the server. Changing it replaces
   * the membership.
   */
  groupId: pulumi.Input<string>;
  /** The account (it must be imported; not the group's owner). Changing it replaces the membership. */
  account: pulumi.Input<string>;
  /** `Member` or `Admin` (not in a Work/Private group). Managed only when set. */
  role?: pulumi.Input<"Member" | "Admin">;
  /** The member's name card in the group, at most 50 bytes. Managed only when set. */
  nameCard?: pulumi.Input<string>;
}

/** ChatGroupMemberArgs and the properties check takes must name the same fields. */
/** ChatGroupMemberArgs and the field table must name the same fields, each as optional, with values check takes. */
const tied: ArgsMatch<ChatGroupMemberArgs, typeof FIELDS> = true;
void tied;

/** Every output, the table's and what only the service reports: Pulumi exposes only the keys a resource is given. */
const OUTPUT_KEYS = Object.fromEntries([...outputKeys(FIELDS), "pending", "existed"].map((key) => [key, undefined]));

/**
 * One account's membership of one group. `pulumi up` adds the account (taking over a
 * membership that exists, with a warning), `pulumi destroy` removes that account only; an
 * account that already left, or a group that is gone, counts as removed. Other members are
 * never touched.
 *
 * @example
 * import { ChatGroupMember } from "pulumi-tencent-chat";
 *
 * // The support team's bot joins the lobby that the platform stack owns.
 * new ChatGroupMember("bot-in-lobby", { groupId: "@TGS#_lobby", account: "support-bot", role: "Admin", nameCard: "Support" });
 */
export class ChatGroupMember extends ShimResource {
  declare readonly groupId: pulumi.Output<string>;
  declare readonly account: pulumi.Output<string>;
  /** The role as the service reports it: Owner, Admin or Member ("" while invited). */
  declare readonly role: pulumi.Output<string>;
  /** The name card as the service reports it. */
  declare readonly nameCard: pulumi.Output<string>;
  /** Invited to a group whose invitees must accept, and not in it yet. */
  declare readonly pending: pulumi.Output<boolean>;
  /** The account was a member already when this resource was created. */
  declare readonly existed: pulumi.Output<boolean>;

  constructor(name: string, args: ChatGroupMemberArgs, opts?: pulumi.CustomResourceOptions) {
    super("ChatGroupMember", name, { ...OUTPUT_KEYS, ...args }, opts, "groupId");
  }
}
