/**
 * The ChatAccount resource: a Chat user, imported so that groups can have it as owner or
 * member (the API answers 10019 for an account that was never imported).
 */
import * as pulumi from "@pulumi/pulumi";

import { type ArgsMatch, outputKeys } from "../fields/table";
import { ShimResource } from "../program/shim";
import { FIELDS } from "./fields";

/**
 * What a ChatAccount is declared with: a fixed `userId`, or a `userIdPrefix` to generate one per
 * incarnation.
 */
export interface ChatAccountArgs {
  /**
   * The app it lives in: the name of a profile of the stack's `tencent-chat:apps` (each with
   * its own SDKAppID, key, region or endpoint). Moving it to another app replaces it.
   * @default the top-level `tencent-chat:*` settings
   */
  app?: pulumi.Input<string>;
  /**
   * The account ID: at most 32 bytes of letters, digits, "_" and "-". Changing it replaces the
   * account. Set this or `userIdPrefix`.
   */
  userId?: pulumi.Input<string>;
  /**
   * Have the ID generated: `<prefix><hash>-<n>`, the hash derived from the resource's identity
   * (stack, name, parents) so that a rerun of an interrupted `up` finds its own account, and
   * `<n>` passing over IDs the plan will not import again yet. For environments that are made
   * and destroyed often: paid plans refuse a deleted userId for three months. At most 16 bytes
   * of letters, digits, "_" and "-". Changing it replaces the account.
   */
  userIdPrefix?: pulumi.Input<string>;
  /** Nickname (Tag_Profile_IM_Nick), at most 500 bytes. Managed only when set. */
  nick?: pulumi.Input<string>;
  /** Avatar URL (Tag_Profile_IM_Image), at most 500 bytes. Managed only when set. */
  faceUrl?: pulumi.Input<string>;
  /**
   * Manage an account that already exists instead of refusing it. `pulumi destroy` then
   * deletes it. @default false
   */
  adoptExisting?: pulumi.Input<boolean>;
}

/** ChatAccountArgs and the properties check takes must name the same fields. */
/** ChatAccountArgs and the field table must name the same fields, each as optional, with values check takes. */
const tied: ArgsMatch<ChatAccountArgs, typeof FIELDS> = true;
void tied;

/** Every output: Pulumi exposes only the keys a resource is given. */
const OUTPUT_KEYS = Object.fromEntries(outputKeys(FIELDS).map((key) => [key, undefined]));

/**
 * A Tencent Cloud Chat account. Pass its `userId` to a ChatGroup's `ownerAccount` or
 * `members`, and Pulumi creates accounts before the group and destroys the group first.
 *
 * @example
 * import { ChatAccount, ChatGroup } from "pulumi-tencent-chat";
 *
 * const alice = new ChatAccount("alice", { userId: "pr-123-alice", nick: "Alice" });
 * const room = new ChatGroup("room", { type: "Public", name: "PR 123", ownerAccount: alice.userId });
 */
export class ChatAccount extends ShimResource {
  /** The account's ID, chosen or generated. */
  declare readonly userId: pulumi.Output<string>;
  declare readonly userIdPrefix: pulumi.Output<string | undefined>;
  declare readonly nick: pulumi.Output<string>;
  declare readonly faceUrl: pulumi.Output<string>;

  constructor(name: string, args: ChatAccountArgs, opts?: pulumi.CustomResourceOptions) {
    super("ChatAccount", name, { ...OUTPUT_KEYS, ...args }, opts, "userId");
  }
}
