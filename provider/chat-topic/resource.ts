/**
 * The ChatTopic resource: a topic of a Community created with `supportTopic: true`.
 */
import type * as pulumi from "@pulumi/pulumi";

import { type ArgsMatch, outputKeys } from "../fields/table";
import { ShimResource } from "../program/shim";
import { FIELDS } from "./fields";

/** What a ChatTopic is declared with. */
export interface ChatTopicArgs {
  /**
   * The app it lives in: the name of a profile of the stack's `tencent-chat:apps` (each with
   * its own SDKAppID, key, region or endpoint). Moving it to another app replaces it.
   * @default the top-level `tencent-chat:*` settings
   */
  app?: pulumi.Input<string>;
  /**
   * The Community's group ID, usually a ChatGroup's `groupId` output (the group must have
   * `supportTopic: true`). Changing it replaces the topic.
   */
  groupId: pulumi.Input<string>;
  /**
   * The custom part of the topic ID, which is `<groupId>@TOPIC#_<topicIdSuffix>`: at most 48
   * bytes of letters, digits, "_" and "-". Left out, one is generated from the resource's
   * identity, so a rerun of an interrupted `up` finds the topic it made. Changing it replaces
   * the topic.
   */
  topicIdSuffix?: pulumi.Input<string>;
  /** The topic's name, at most 30 bytes in UTF-8 (a CJK character takes 3). */
  topicName: pulumi.Input<string>;
  /** At most 240 bytes. Managed only when set. */
  introduction?: pulumi.Input<string>;
  /** At most 300 bytes. Managed only when set. */
  notification?: pulumi.Input<string>;
  /** Avatar URL, at most 100 bytes. Managed only when set. */
  faceUrl?: pulumi.Input<string>;
  /** Free text for the app, at most 3000 bytes. Managed only when set. */
  customString?: pulumi.Input<string>;
  /**
   * Manage a topic that already exists under `topicIdSuffix` instead of refusing it: it is
   * brought to the declared fields, and `pulumi destroy` deletes it. @default false
   */
  adoptExisting?: pulumi.Input<boolean>;
}

/** ChatTopicArgs and the properties check takes must name the same fields. */
/** ChatTopicArgs and the field table must name the same fields, each as optional, with values check takes. */
const tied: ArgsMatch<ChatTopicArgs, typeof FIELDS> = true;
void tied;

/** Every output, the table's and what only the service reports: Pulumi exposes only the keys a resource is given. */
const OUTPUT_KEYS = Object.fromEntries([...outputKeys(FIELDS), "topicId", "createTime"].map((key) => [key, undefined]));

/**
 * A topic of a Tencent Cloud Chat Community. `pulumi destroy` deletes it with destroy_topic;
 * a topic already gone, or whose Community is gone, counts as deleted.
 *
 * @example
 * import { ChatGroup, ChatTopic } from "pulumi-tencent-chat";
 *
 * const community = new ChatGroup("guild", { type: "Community", name: "Guild", supportTopic: true });
 * const general = new ChatTopic("general", { groupId: community.groupId, topicIdSuffix: "general", topicName: "General" });
 */
export class ChatTopic extends ShimResource {
  /** The topic's ID: `<groupId>@TOPIC#_<suffix>`. */
  declare readonly topicId: pulumi.Output<string>;
  declare readonly groupId: pulumi.Output<string>;
  declare readonly topicIdSuffix: pulumi.Output<string | undefined>;
  declare readonly topicName: pulumi.Output<string>;
  declare readonly introduction: pulumi.Output<string>;
  declare readonly notification: pulumi.Output<string>;
  declare readonly faceUrl: pulumi.Output<string>;
  declare readonly customString: pulumi.Output<string>;
  /** Unix seconds, as the service reports it. */
  declare readonly createTime: pulumi.Output<number | undefined>;

  constructor(name: string, args: ChatTopicArgs, opts?: pulumi.CustomResourceOptions) {
    super("ChatTopic", name, { ...OUTPUT_KEYS, ...args }, opts, "topicIdSuffix");
  }
}
