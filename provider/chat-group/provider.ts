/**
 * The ChatGroup lifecycle, run inside Pulumi's dynamic-provider host (loaded there by the
 * shim in state). Every method is guarded: what leaves it is a safe error.
 */
import type * as pulumi from "@pulumi/pulumi";

import type { GroupInfo } from "../../chat-api/bodies";
import { CODE, GROUP_ID_TAKEN_CODES } from "../../chat-api/codes";
import {
  GROUP_FIELD_LIMITS,
  isMemberNow,
  LEGACY_GROUP_TEXT_LIMITS,
  MEMBER_RESULT,
  notAddedText,
} from "../../chat-api/groups";
import { utf8Bytes } from "../../chat-api/text";
import type { MemberAddResult } from "../client/client";
import { type ChatApiError, isApiError, isChatApiError } from "../client/errors";
import { appOf, isUnknown } from "../common/check";
import { generatedGroupId, SEED_PROPERTY } from "../common/identity";
import { declaredAsMemberships, noteGroupDeclared } from "../host/declared-members";
import { ResourceInitError } from "../host/errors";
import { type Comparison, LifecycleProvider, recoverable, requireSeed } from "../host/lifecycle";
import { compareGroup } from "./diff";
import { type ChatGroupInputs, checkInputs, PROPERTIES } from "./inputs";
import {
  adminChanges,
  afterOwnerChange,
  type ChatGroupOutputs,
  createRequest,
  initialMembers,
  lowerLimitRequest,
  type ManagedBefore,
  memberChanges,
  modifyRequest,
  normaliseType,
  type OutputExtras,
  outputsFrom,
} from "./mapping";
import { readGroupInputs, readGroupState } from "./state";

type Props = Record<string, unknown>;

/** What a create or update has done so far, so that a failure half-way is recorded truthfully. */
interface Progress {
  /** Invited, waiting for the invitee to accept (add_group_member Result 3). */
  pending: string[];
  /** Not added, for a reason other than an invitation (Result 0, 4 or undocumented), with the Result. */
  failed: { account: string; result: number }[];
}

/** What one create_group attempt under a given ID came to. */
type Attempt = { kind: "created" } | { kind: "taken"; error: ChatApiError } | { kind: "found"; existing: GroupInfo };

export class ChatGroupProvider extends LifecycleProvider<ChatGroupInputs, ChatGroupOutputs> {
  protected readonly kind = "ChatGroup";
  protected readonly readers = { inputs: readGroupInputs, state: readGroupState };
  protected readonly inputNames = { properties: PROPERTIES, internal: [SEED_PROPERTY, "groupIdGenerated"] };
  protected readonly words = {
    object: "chat group",
    noun: "group",
    kept: "brought to the declared state, not made anew",
    remake: "disband it and make it again",
  };

  /** The inputs checked, and a member refused that a ChatGroupMember of this deployment manages (host/declared-members.ts). */
  async check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    const outcome = checkInputs(olds ?? {}, news ?? {}, {
      workGroupAdmins: isUnknown(news?.app) || this.workGroupAdmins(appOf(news)),
    });
    const groupId = outcome.inputs.groupId;
    if (outcome.failures.length || typeof groupId !== "string") return this.withSettingsChecked(outcome, news);
    const exclusive = outcome.inputs.exclusiveMembers === true;
    const twice = declaredAsMemberships(
      this.appScope(appOf(news)),
      groupId,
      exclusive ? "all" : declaredAccounts(outcome.inputs),
    );
    if (twice.length) {
      const are = `${twice.join(", ")} ${twice.length === 1 ? "is" : "are"}`;
      const reason = exclusive
        ? `${are} managed by a ChatGroupMember of this program, and exclusiveMembers makes members the group's whole list: declare ${twice.length === 1 ? "it" : "them"} in members instead`
        : `${are} managed by a ChatGroupMember of this program as well: manage a membership in one place (ChatGroup.members for the groups a stack owns, ChatGroupMember for a group it does not)`;
      return this.withSettingsChecked(
        { ...outcome, failures: [{ property: exclusive ? "exclusiveMembers" : "members", reason }] },
        news,
      );
    }
    noteGroupDeclared(this.appScope(appOf(news)), groupId, declaredAccounts(outcome.inputs), exclusive);
    return this.withSettingsChecked(outcome, news);
  }

  protected compare(
    id: string,
    before: ChatGroupOutputs,
    want: ChatGroupInputs,
    pending: ReadonlySet<string>,
    news: Props,
  ): Comparison {
    // As the program declares it, values not known yet included.
    noteGroupDeclared(this.appScope(), id, declaredAccounts(news), news.exclusiveMembers === true);
    return compareGroup(before, want, pending);
  }

  protected creating(inputs: ChatGroupInputs): string {
    return `creating chat group ${inputs.groupId ?? "(generated ID)"}`;
  }

  protected async createObject(inputs: ChatGroupInputs): Promise<pulumi.dynamic.CreateResult> {
    const made = await (inputs.groupId === undefined
      ? this.createGenerated(inputs)
      : this.createFixed(inputs, inputs.groupId));
    noteGroupDeclared(this.appScope(), made.id, declaredAccounts(inputs), inputs.exclusiveMembers);
    return made;
  }

  /** A groupId the program chose: made, adopted when asked, or refused with what to do. */
  private async createFixed(inputs: ChatGroupInputs, id: string): Promise<pulumi.dynamic.CreateResult> {
    if (inputs.adoptExisting) {
      const existing = await this.client().getGroup(id);
      if (existing) {
        assertType(id, existing, inputs);
        return this.takeOver(id, existing, inputs);
      }
    }
    const attempt = await this.attempt(id, inputs);
    if (attempt.kind === "created") return this.finish(id, inputs, () => this.finishCreate(id, inputs));
    if (attempt.kind === "found") return this.takeOver(id, attempt.existing, inputs);
    if (!(await this.client().getGroup(id))) {
      throw new Error(
        `group ID ${id} cannot be used (${attempt.error.errorCode} ${attempt.error.info}), yet no group has it: the service keeps the ID of a ` +
          "dissolved group and does not give it out again. Choose another groupId, or leave it out to have one generated (a generated ID passes over spent ones).",
      );
    }
    throw new Error(
      `group ID ${id} is already in use (${attempt.error.errorCode} ${attempt.error.info}). If an earlier \`pulumi up\` of this stack ` +
        "was interrupted, it may have created this group: set adoptExisting: true to take it over (it is brought to the declared state), " +
        "or remove it (tencent-chat-sweep, or destroy_group) and run `pulumi up` again. If this resource is being replaced " +
        "(`pulumi up --replace`, replacementTrigger), its group must be deleted before one can be made under the same ID: set " +
        "deleteBeforeReplace: true on the resource (adoptExisting: true keeps the group instead). Otherwise choose another groupId.",
    );
  }

  /**
   * A generated ID: the first incarnation of the resource's seed that is free, or that holds
   * this resource's own half-made group from an interrupted run (taken over and finished).
   * A group the state holds, or one made before the recovery window, is never taken over
   * (see host/lifecycle.ts).
   */
  private createGenerated(inputs: ChatGroupInputs): Promise<pulumi.dynamic.CreateResult> {
    const seed = requireSeed(inputs.idSeed);
    const client = this.client();
    return this.claimIncarnation(
      { ids: "group", instead: "set a groupId, or rename the resource" },
      (n) => generatedGroupId(seed, inputs.type, n),
      async (id) => {
        const attempt = await this.attempt(id, inputs);
        if (attempt.kind === "created") return this.finish(id, inputs, () => this.finishCreate(id, inputs));
        const existing = attempt.kind === "found" ? attempt.existing : await client.getGroup(id);
        // Taken, yet gone: a destroyed ID the service does not hand out again.
        if (!existing) return undefined;
        if (normaliseType(existing.Type, inputs.type) !== inputs.type) return undefined;
        if (attempt.kind === "taken" && !recoverable(existing.CreateTime, Math.floor(client.now() / 1000)))
          return undefined;
        return this.takeOver(id, existing, inputs);
      },
    );
  }

  /**
   * One create_group under `id`. When its outcome is uncertain (answers lost, timeouts), the
   * client looks the group up before giving up (ChatClient.createGroup): a group found under a
   * generated ID is this resource's when it is of the declared type and recent (its ID is
   * derived from the resource: see host/lifecycle.ts), one under a fixed ID only when it is
   * the one asked for.
   */
  private async attempt(id: string, inputs: ChatGroupInputs): Promise<Attempt> {
    const client = this.client();
    const ownGenerated = (g: GroupInfo) =>
      normaliseType(g.Type, inputs.type) === inputs.type && recoverable(g.CreateTime, Math.floor(client.now() / 1000));
    try {
      const made = await client.createGroup(createRequest(inputs, id), {
        isOurs: inputs.groupIdGenerated ? ownGenerated : undefined,
      });
      return made.group ? { kind: "found", existing: made.group } : { kind: "created" };
    } catch (err) {
      if (!isChatApiError(err)) throw err;
      if (isApiError(err, GROUP_ID_TAKEN_CODES)) return { kind: "taken", error: err };
      const explained = textLimitError(err, inputs);
      if (explained) throw explained;
      if (!err.uncertain) throw err;
      throw new Error(
        `${err.message}. Whether the group was made is not known` +
          (inputs.groupIdGenerated ? `: the next \`pulumi up\` looks for it under ${id} and finishes it` : ""),
      );
    }
  }

  /**
   * Runs the steps after create_group; if one fails, the group is recorded with what is true of
   * it, and with `before` (a takeover's token).
   */
  private async finish(
    id: string,
    inputs: ChatGroupInputs,
    steps: () => Promise<ChatGroupOutputs>,
    before: Partial<ChatGroupOutputs> = {},
  ): Promise<pulumi.dynamic.CreateResult> {
    try {
      return { id, outs: await steps() };
    } catch (err) {
      throw new ResourceInitError(id, await this.partialOutputs(id, inputs, before, emptyProgress()), err);
    }
  }

  /** The steps create_group cannot take: members beyond its first 100, and muting. */
  private async finishCreate(id: string, inputs: ChatGroupInputs): Promise<ChatGroupOutputs> {
    const client = this.client();
    const progress = emptyProgress();
    const sent = new Set(initialMembers(inputs));
    const rest = inputs.members.filter((m) => !sent.has(m) && m !== inputs.ownerAccount);
    if (rest.length)
      await client.addGroupMembers(id, rest, { silence: true, onBatch: (results) => record(progress, results) });
    // Admins among the first 100 members got their role from create_group; the rest get it now.
    for (const admin of inputs.admins.filter((a) => !sent.has(a))) await client.setMemberRole(id, admin, "Admin");
    if (inputs.muteAllMember) await client.modifyGroupBaseInfo({ GroupId: id, MuteAllMember: "On" });
    this.settle(id, progress);
    return this.readBack(id, inputs, { pending: progress.pending });
  }

  /**
   * Takes over an existing group of the declared type and brings it to the declared state. The
   * takeover's token goes into what Pulumi records, whole or in part (see host/held.ts), so
   * that the delete of a resource it replaces does not disband it.
   */
  private takeOver(id: string, existing: GroupInfo, inputs: ChatGroupInputs): Promise<pulumi.dynamic.CreateResult> {
    const adoption = this.adopted(id);
    return this.finish(id, inputs, () => this.adopt(id, existing, inputs, adoption), { adoption });
  }

  private async adopt(
    id: string,
    existing: GroupInfo,
    inputs: ChatGroupInputs,
    adoption: string,
  ): Promise<ChatGroupOutputs> {
    const progress = emptyProgress();
    await this.converge(id, existing, inputs, {}, progress);
    return this.readBack(id, inputs, { pending: progress.pending, adoption });
  }

  /**
   * Brings a live group to `want`, in an order that works for any combination of changes:
   * settings (a raised member limit first), members who leave, members who join (the new
   * owner among them), the owner, a former owner this stack declared, admins (once they are
   * members), and a lowered limit last, once the members it must hold have left.
   */
  private async converge(
    id: string,
    live: GroupInfo,
    want: ChatGroupInputs,
    before: ManagedBefore & { appDefinedData?: Record<string, string> },
    progress: Progress,
  ): Promise<void> {
    const client = this.client();
    const modify = modifyRequest(id, live, want, Object.keys(before.appDefinedData ?? {}));
    if (modify) {
      await client.modifyGroupBaseInfo(modify).catch((err: unknown) => {
        throw textLimitError(err, want) ?? err;
      });
    }
    const changes = memberChanges(live, want, before);
    if (changes.remove.length) await client.deleteGroupMembers(id, changes.remove, { silence: true });
    if (changes.add.length)
      await client.addGroupMembers(id, changes.add, { silence: true, onBatch: (results) => record(progress, results) });
    if (want.ownerAccount && want.ownerAccount !== (live.Owner_Account || undefined))
      await client.changeGroupOwner(id, want.ownerAccount);
    if (changes.formerOwner) await client.deleteGroupMembers(id, [changes.formerOwner], { silence: true });
    // Roles as they are now: an admin made owner holds the Owner role, which no call may change.
    const roles = adminChanges(afterOwnerChange(live, want.ownerAccount), want, before);
    for (const account of roles.promote) await client.setMemberRole(id, account, "Admin");
    for (const account of roles.demote) await client.setMemberRole(id, account, "Member");
    const lower = lowerLimitRequest(id, live, want);
    if (lower) await client.modifyGroupBaseInfo(lower);
    this.settle(id, progress);
  }

  /** Reports invitations still open, and fails naming the members the service refused. */
  private settle(id: string, progress: Progress): void {
    if (progress.pending.length) {
      // Shown by the Pulumi CLI with the resource's output; also kept in `pendingMembers`.
      console.warn(
        `pulumi-tencent-chat: group ${id}: ${progress.pending.join(", ")} invited; they join when they accept (add_group_member Result 3)`,
      );
    }
    if (progress.failed.length) {
      throw new Error(
        `add_group_member did not add ${progress.failed.map((f) => `${f.account} (${notAddedText(f.result)})`).join(", ")} to ${id}`,
      );
    }
  }

  /**
   * What is true of the group after a step failed: read back when the service answers, so the
   * members added so far are on record, and the ones still to remove stay managed.
   */
  private async partialOutputs(
    id: string,
    want: ChatGroupInputs,
    before: Partial<ChatGroupOutputs>,
    progress: Progress,
  ): Promise<Props> {
    const live = await this.client()
      .getGroup(id)
      .catch(() => undefined);
    const managed = [
      ...(before.members ?? []),
      ...(before.ownerDeclared && before.ownerAccount ? [before.ownerAccount] : []),
    ];
    const pending = [...(before.pendingMembers ?? []), ...progress.pending];
    if (live) {
      return outputsFrom(live, want, {
        managed,
        pending,
        managedKeys: Object.keys(before.appDefinedData ?? {}),
        managedAdmins: before.admins,
        ownerDeclared: want.ownerAccount !== undefined || before.ownerDeclared === true,
        // Until the update is done, the limit the stack set is still its to put back.
        maxMemberCountDeclared: want.maxMemberCount !== undefined || before.maxMemberCountDeclared === true,
        planMaxMemberCount: before.planMaxMemberCount,
        adoption: before.adoption,
      }) as unknown as Props;
    }
    // The service did not answer: keep what was on record, with the ID this create or update used.
    return { ...want, ...before, groupId: id, members: before.members ?? [], pendingMembers: pending } as Props;
  }

  private async readBack(id: string, declared: ChatGroupInputs, extra: OutputExtras = {}): Promise<ChatGroupOutputs> {
    const live = await this.client().getGroup(id);
    if (!live) throw new Error(`group ${id} disappeared while it was being set up`);
    return outputsFrom(live, declared, extra);
  }

  protected async readObject(id: string, saved: ChatGroupOutputs): Promise<Props | undefined> {
    // A refresh reads every group this way, a fixed number at once: see ChatClient.getGroup.
    const live = await this.client().getGroup(id, { refresh: true });
    if (!live) return undefined;
    const declared = { ...saved, members: [...new Set([...saved.members, ...saved.pendingMembers])] };
    return outputsFrom(live, declared, {
      pending: saved.pendingMembers,
      ownerDeclared: saved.ownerDeclared,
      maxMemberCountDeclared: saved.maxMemberCountDeclared ?? false,
      planMaxMemberCount: saved.planMaxMemberCount,
      adoption: saved.adoption,
    }) as unknown as Props;
  }

  /** A generated ID is not an input: the program does not set it. */
  protected override refreshedInputs(outs: Props, props: Props, saved: ChatGroupOutputs): Props {
    const inputs = super.refreshedInputs(outs, props, saved);
    if (saved.groupIdGenerated) delete inputs.groupId;
    return inputs;
  }

  protected async updateObject(
    id: string,
    before: ChatGroupOutputs,
    want: ChatGroupInputs,
  ): Promise<pulumi.dynamic.UpdateResult> {
    noteGroupDeclared(this.appScope(), id, declaredAccounts(want), want.exclusiveMembers);
    const live = await this.client().getGroup(id);
    if (!live) throw this.noLongerExists(id, { guess: "dissolved outside Pulumi?", again: "create" });
    const progress = emptyProgress();
    const target = { ...want, maxMemberCount: want.maxMemberCount ?? releasedLimit(id, live, before) };
    try {
      await this.converge(id, live, target, before, progress);
    } catch (err) {
      throw new ResourceInitError(
        id,
        await this.partialOutputs(id, want, before, progress),
        err,
        `${id} was updated only in part`,
      );
    }
    return {
      outs: await this.readBack(id, want, {
        pending: progress.pending,
        planMaxMemberCount: want.maxMemberCount === undefined ? undefined : before.planMaxMemberCount,
        adoption: before.adoption,
      }),
    };
  }

  /**
   * destroy_group; a group already gone (10010, 10015) counts as deleted. (A group whose
   * replacement took it over in this run is the replacement's now: the base leaves it alone.)
   */
  protected async deleteObject(id: string): Promise<void> {
    await this.client().destroyGroup(id);
  }
}

/**
 * The limit a group goes back to when the stack stops declaring the one it set: its plan's,
 * when the service told it (the group was made, or adopted, without one); otherwise it keeps
 * its limit, and says so.
 */
function releasedLimit(id: string, live: GroupInfo, before: ChatGroupOutputs): number | undefined {
  if (before.maxMemberCountDeclared !== true) return undefined;
  if (before.planMaxMemberCount !== undefined) return before.planMaxMemberCount;
  console.warn(
    `pulumi-tencent-chat: group ${id}: maxMemberCount is no longer declared, but the group was made with one, so its plan's limit is not known: ` +
      `it keeps its limit of ${live.MaxMemberNum ?? "unknown"}. Declare the limit it should have to change it.`,
  );
  return undefined;
}

/**
 * A 10004 for a group whose texts are over the smaller limits Tencent's older pages give: the
 * service may enforce those (its pages disagree, see chat-api/groups.ts). Throws an error that
 * names each field and both limits, or undefined for any other failure.
 */
function textLimitError(
  err: unknown,
  inputs: Pick<ChatGroupInputs, "name" | "introduction" | "notification" | "faceUrl">,
): Error | undefined {
  if (!isApiError(err, CODE.invalidParam)) return undefined;
  const fields = [
    ["name", "Name"],
    ["introduction", "Introduction"],
    ["notification", "Notification"],
    ["faceUrl", "FaceUrl"],
  ] as const;
  const over = fields
    .map(([input, field]) => ({
      input,
      bytes: utf8Bytes(inputs[input]),
      legacy: LEGACY_GROUP_TEXT_LIMITS[field],
      current: GROUP_FIELD_LIMITS[field],
    }))
    .filter((f) => f.bytes > f.legacy);
  if (!over.length) return undefined;
  const said = over.map(
    (f) =>
      `${f.input} is ${f.bytes} bytes, within the ${f.current} bytes of Tencent's current pages (which check applies) but over the ${f.legacy} of its older ones`,
  );
  return new Error(
    `${err.message}. ${said.join("; ")}: this app may enforce the older limits. Shorten ${over.map((f) => `${f.input} to ${f.legacy} bytes`).join(", ")}, ` +
      "or ask the app which it enforces (npm run test:probe).",
  );
}

/** A group of another type cannot be taken over: its type cannot change. */
function assertType(id: string, existing: GroupInfo, inputs: ChatGroupInputs): void {
  const liveType = normaliseType(existing.Type, inputs.type);
  if (liveType !== inputs.type) {
    throw new Error(
      `group ${id} exists as a ${liveType} group, but the program declares ${inputs.type}; a group's type cannot change`,
    );
  }
}

/** The accounts a group's inputs declare in it: its members, owner and admins, as far as they are known. */
function declaredAccounts(inputs: Props): string[] {
  const strings = (value: unknown) =>
    Array.isArray(value)
      ? value.filter((v): v is string => typeof v === "string")
      : typeof value === "string"
        ? [value]
        : [];
  return [...strings(inputs.members), ...strings(inputs.ownerAccount), ...strings(inputs.admins)];
}

const emptyProgress = (): Progress => ({ pending: [], failed: [] });

function record(progress: Progress, results: readonly MemberAddResult[]): void {
  for (const { account, result } of results) {
    if (result === MEMBER_RESULT.invited) progress.pending.push(account);
    else if (!isMemberNow(result)) progress.failed.push({ account, result });
  }
}
