/**
 * The ChatTopic lifecycle: create_topic to create (under an ID derived from the resource,
 * so a rerun of an interrupted `up` finds what it made), get_topic to read, modify_topic to
 * update, destroy_topic to delete. A topic already gone, or whose Community is gone, counts
 * as deleted.
 */
import type * as pulumi from "@pulumi/pulumi";

import { CODE, GROUP_GONE_CODES } from "../../chat-api/codes";
import { type TopicFields, topicIdFor, type TopicInfo } from "../../chat-api/topics";
import { isApiError } from "../client/errors";
import { generatedTopicSuffix, SEED_PROPERTY } from "../common/identity";
import { fieldsWhere, modifyValues, propertiesSet } from "../fields/table";
import { ResourceInitError } from "../host/errors";
import { type Comparison, LifecycleProvider, recoverable, requireSeed } from "../host/lifecycle";
import { FIELDS } from "./fields";
import { type ChatTopicInputs, checkTopicInputs, PROPERTIES } from "./inputs";
import { type ChatTopicOutputs, groupOfTopic, readTopicInputs, readTopicState } from "./state";

type Props = Record<string, unknown>;

/** The inputs modify_topic changes in place. */
const UPDATED_FIELDS = fieldsWhere(FIELDS, (f) => f.change === "update");
/** Fixed at create: a change makes a new topic. */
const REPLACED_FIELDS = fieldsWhere(FIELDS, (f) => f.change === "replace");

/** The request fields that bring `current` to what `want` declares; all of them when `current` is absent. */
export function topicChanges(want: ChatTopicInputs, current?: TopicInfo): TopicFields {
  return modifyValues(FIELDS, { ...current }, want) as TopicFields;
}

/** What the state records of a topic: the inputs, and the topic as the service reports it. */
function outputsFrom(inputs: ChatTopicInputs, topicId: string, info: TopicInfo): ChatTopicOutputs {
  return {
    ...inputs,
    groupId: inputs.groupId || groupOfTopic(topicId),
    topicId,
    topicName: info.TopicName ?? "",
    introduction: info.Introduction ?? "",
    notification: info.Notification ?? "",
    faceUrl: info.FaceUrl ?? "",
    customString: info.CustomString ?? "",
    createTime: info.CreateTime,
  };
}

/** Saved outputs as get_topic reports a topic, to compare with what the program declares. */
const savedInfo = (s: ChatTopicOutputs): TopicInfo => ({
  TopicId: s.topicId,
  TopicName: s.topicName,
  Introduction: s.introduction,
  Notification: s.notification,
  FaceUrl: s.faceUrl,
  CustomString: s.customString,
});

/** An error a user can act on, for the group-level answers to a topic command. */
function explained(err: unknown, groupId: string): unknown {
  if (!isApiError(err)) return err;
  if (GROUP_GONE_CODES.has(err.errorCode))
    return new Error(`group ${groupId} does not exist (${err.errorCode}); a topic needs its Community to exist`);
  if (err.errorCode === CODE.topicsNotSupported) {
    return new Error(
      `group ${groupId} has no topics (${err.errorCode}): topics exist only in a Community created with supportTopic: true, on a plan ` +
        "with Community topics enabled in the console",
    );
  }
  return err;
}

export class ChatTopicProvider extends LifecycleProvider<ChatTopicInputs, ChatTopicOutputs> {
  protected readonly kind = "ChatTopic";
  protected readonly words = { object: "chat topic", noun: "topic", remake: "delete it and make it again" };
  protected readonly readers = { inputs: readTopicInputs, state: readTopicState };
  protected readonly inputNames = { properties: PROPERTIES, internal: [SEED_PROPERTY] };

  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    return this.withSettingsChecked(checkTopicInputs(olds ?? {}, news ?? {}), news);
  }

  /** The group or the ID suffix replaces; the texts update. */
  protected compare(
    _id: string,
    before: ChatTopicOutputs,
    want: ChatTopicInputs,
    pending: ReadonlySet<string>,
  ): Comparison {
    const replacing = REPLACED_FIELDS.filter((k) => pending.has(k) || want[k] !== before[k]);
    // Property names, as ignoreChanges and replaceOnChanges name them.
    const updating = [
      ...propertiesSet(FIELDS, topicChanges(want, savedInfo(before))),
      ...UPDATED_FIELDS.filter((k) => pending.has(k)),
    ];
    // A replacement under the same fixed topic ID can be made only once the old topic is deleted.
    return { replacing, updating, deleteFirst: replacing.length === 0 && want.topicIdSuffix !== undefined };
  }

  protected creating(inputs: ChatTopicInputs): string {
    return `creating chat topic ${inputs.topicIdSuffix ?? "(generated ID)"} in ${inputs.groupId}`;
  }

  protected async createObject(inputs: ChatTopicInputs): Promise<pulumi.dynamic.CreateResult> {
    try {
      return inputs.topicIdSuffix !== undefined
        ? await this.createFixed(inputs, topicIdFor(inputs.groupId, inputs.topicIdSuffix))
        : await this.createGenerated(inputs);
    } catch (err) {
      throw explained(err, inputs.groupId);
    }
  }

  /** A topic ID the program chose: made, adopted when asked, or refused with what to do. */
  private async createFixed(inputs: ChatTopicInputs, topicId: string): Promise<pulumi.dynamic.CreateResult> {
    const existing = await this.client().getTopic(inputs.groupId, topicId);
    // The state holds it: this is the replacement of the topic this resource manages.
    if (existing && this.held(topicId)) {
      throw new Error(
        `topic ${topicId} is the one this resource manages, and a replacement under the same fixed ID cannot be made while it ` +
          "exists. Change topicIdSuffix (or leave it out to have IDs generated) to replace it.",
      );
    }
    if (existing && !inputs.adoptExisting) {
      throw this.alreadyExists(topicId, {
        made: "created",
        otherwise: "choose another topicIdSuffix, or leave it out to have one generated",
      });
    }
    return existing ? this.finish(topicId, inputs, existing) : this.make(topicId, inputs);
  }

  /**
   * A generated ID: the first incarnation of the resource's seed that is free, or that holds
   * this resource's own topic from an interrupted run: not held by the state, and made within
   * the recovery window (see host/lifecycle.ts).
   */
  private createGenerated(inputs: ChatTopicInputs): Promise<pulumi.dynamic.CreateResult> {
    const seed = requireSeed(inputs.idSeed);
    const client = this.client();
    return this.claimIncarnation(
      { ids: "topic", instead: "set topicIdSuffix" },
      (n) => topicIdFor(inputs.groupId, generatedTopicSuffix(seed, n)),
      async (topicId) => {
        const existing = await client.getTopic(inputs.groupId, topicId);
        if (existing && !recoverable(existing.CreateTime, Math.floor(client.now() / 1000))) return undefined;
        return existing ? this.finish(topicId, inputs, existing) : this.make(topicId, inputs);
      },
    );
  }

  private async make(topicId: string, inputs: ChatTopicInputs): Promise<pulumi.dynamic.CreateResult> {
    const { TopicName, ...rest } = topicChanges(inputs);
    await this.client().createTopic({
      GroupId: inputs.groupId,
      TopicId: topicId,
      TopicName: TopicName ?? inputs.topicName,
      ...rest,
    });
    return this.finish(topicId, inputs);
  }

  /**
   * Brings a topic that existed (an adoption, noted: see host/held.ts) to the declared
   * fields and reads it back; a failure records the topic.
   */
  private async finish(
    topicId: string,
    inputs: ChatTopicInputs,
    existing?: TopicInfo,
  ): Promise<pulumi.dynamic.CreateResult> {
    // A takeover's token is in what Pulumi records, whole or in part (host/held.ts).
    const adoption = existing ? this.adopted(topicId) : undefined;
    try {
      if (existing) await this.modify(inputs.groupId, topicId, topicChanges(inputs, existing));
      return { id: topicId, outs: { ...(await this.readBack(topicId, inputs)), ...(adoption && { adoption }) } };
    } catch (err) {
      throw new ResourceInitError(topicId, { ...inputs, topicId, ...(adoption && { adoption }) }, err);
    }
  }

  private async modify(groupId: string, topicId: string, fields: TopicFields): Promise<void> {
    if (Object.keys(fields).length) await this.client().modifyTopic({ GroupId: groupId, TopicId: topicId, ...fields });
  }

  private async readBack(topicId: string, inputs: ChatTopicInputs): Promise<ChatTopicOutputs> {
    const info = await this.client().getTopic(inputs.groupId, topicId);
    if (!info) throw new Error(`topic ${topicId} cannot be read back`);
    return outputsFrom(inputs, topicId, info);
  }

  protected async readObject(id: string, saved: ChatTopicOutputs): Promise<Props | undefined> {
    const info = await this.client().getTopic(saved.groupId, id);
    return info && { ...outputsFrom(saved, id, info) };
  }

  protected async updateObject(
    id: string,
    before: ChatTopicOutputs,
    want: ChatTopicInputs,
  ): Promise<pulumi.dynamic.UpdateResult> {
    try {
      const current = await this.client().getTopic(want.groupId, id);
      if (!current) throw this.noLongerExists(id, { again: "create" });
      await this.modify(want.groupId, id, topicChanges(want, current));
      return { outs: await this.readBack(id, { ...before, ...want }) };
    } catch (err) {
      throw explained(err, want.groupId);
    }
  }

  /** destroy_topic; a topic already gone, or whose Community is, counts as deleted. */
  protected async deleteObject(id: string, saved: ChatTopicOutputs): Promise<void> {
    await this.client().destroyTopic(saved.groupId, id);
  }
}
