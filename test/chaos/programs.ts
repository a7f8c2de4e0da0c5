/**
 * The programs the chaos soak generates: a model of what a user declares (accounts, groups of
 * every type, Communities with topics, and the references between them), the edits a user
 * makes from one `pulumi up` to the next, and the registrations a program of the model makes,
 * as `pulumi.runtime` would send them to the engine.
 *
 * The registrations are built here rather than by running each program (a second of CPU per
 * run); `programText` writes the same model as a Pulumi program, and the chaos test runs some
 * of them to prove the two agree.
 */
import type { Registration } from "../../harness/engine";
import { OUTPUT_REF, type RegisteredOptions, resourceUrn } from "../../harness/project";
import { identitySeedOf } from "../../provider/common/identity";

export const TYPES = {
  account: "pulumi-nodejs:dynamic/tencent-chat:ChatAccount",
  group: "pulumi-nodejs:dynamic/tencent-chat:ChatGroup",
  topic: "pulumi-nodejs:dynamic/tencent-chat:ChatTopic",
} as const;

export type Kind = keyof typeof TYPES;
export type GroupType = "Public" | "Private" | "ChatRoom" | "AVChatRoom" | "Community";
export const GROUP_TYPES: readonly GroupType[] = ["Public", "Private", "ChatRoom", "AVChatRoom", "Community"];

/** The options a user of the soak's programs sets. */
export interface DeclOptions {
  retainOnDelete?: boolean;
  /** Names the resource had before (`aliases: [{ name }]`). */
  aliases?: string[];
  /** A topic's Community, when the topic goes with it (`deletedWith`). */
  deletedWith?: string;
}

export interface AccountDecl {
  kind: "account";
  name: string;
  /** A fixed ID, or else a generated one under `userIdPrefix`. */
  userId?: string;
  userIdPrefix?: string;
  nick: string;
  options: DeclOptions;
}

export interface GroupDecl {
  kind: "group";
  name: string;
  type: GroupType;
  /** A fixed ID, or else a generated one. */
  groupId?: string;
  title: string;
  /** Names of the accounts of the program: the owner, the members and which of them are admins. */
  owner?: string;
  members: string[];
  admins: string[];
  appDefinedData: Record<string, string>;
  options: DeclOptions;
}

export interface TopicDecl {
  kind: "topic";
  name: string;
  /** The name of its Community. */
  community: string;
  topicName: string;
  /** A fixed ID suffix, or else a generated one. */
  topicIdSuffix?: string;
  options: DeclOptions;
}

export type Decl = AccountDecl | GroupDecl | TopicDecl;

/** One stack's program: its resources, and a counter that keeps names and IDs new. */
export interface Program {
  /** The stack's prefix: every name and fixed ID of the stack starts with it. */
  job: string;
  resources: Decl[];
  counter: number;
}

/**
 * An edit a user makes between two runs. Targets are indexes taken modulo the resources an
 * edit can apply to, so that any sequence (shrunk ones too) is a valid sequence of edits; an
 * edit with nothing to apply to changes nothing.
 */
export type Edit =
  | { op: "addAccount"; fixed: boolean }
  | {
      op: "addGroup";
      type: GroupType;
      fixed: boolean;
      owner: number | null;
      members: number[];
      admins: number;
      data: boolean;
    }
  | { op: "addTopic"; community: number; fixed: boolean; deletedWith: boolean }
  /** Removes a resource, and what the user must remove with it: its topics, references to it. */
  | { op: "remove"; target: number }
  /** Changes a property the provider updates in place: a group's name or data, a nick, a topic's name. */
  | { op: "update"; target: number }
  /** Changes a property that replaces: a fixed ID, a group's type, an account's ID. */
  | { op: "replace"; target: number }
  /** Renames the resource, with an alias for its old name. */
  | { op: "rename"; target: number }
  | { op: "retain"; target: number };

export const emptyProgram = (job: string): Program => ({ job, resources: [], counter: 0 });

const of = <K extends Kind>(p: Program, kind: K) =>
  p.resources.filter((r): r is Extract<Decl, { kind: K }> => r.kind === kind);
const pick = <T>(list: readonly T[], i: number): T | undefined =>
  list.length ? list[((i % list.length) + list.length) % list.length] : undefined;

/** Whether a group of this type takes members and admins from the server. */
const takesMembers = (type: GroupType) => type !== "AVChatRoom";
const takesAdmins = (type: GroupType) => type === "Public" || type === "ChatRoom" || type === "Community";

/** The group after its type changes: what the program must drop so that `check` takes it. */
function withType(g: GroupDecl, type: GroupType): GroupDecl {
  const members = takesMembers(type) ? g.members : [];
  const admins = takesAdmins(type) ? g.admins.filter((a) => members.includes(a)) : [];
  return { ...g, type, members, admins };
}

/** The program after one edit; the input is left as it was. */
export function applyEdit(program: Program, edit: Edit): Program {
  const p: Program = structuredClone(program);
  const n = ++p.counter;
  const fresh = (stem: string) => `${p.job}-${stem}${n}`;
  switch (edit.op) {
    case "addAccount":
      p.resources.push({
        kind: "account",
        name: fresh("user"),
        ...(edit.fixed ? { userId: fresh("u") } : { userIdPrefix: `${p.job}-p${n}-` }),
        nick: `nick ${n}`,
        options: {},
      });
      break;
    case "addGroup": {
      const accounts = of(p, "account").map((a) => a.name);
      const owner = edit.owner === null ? undefined : pick(accounts, edit.owner);
      const members = takesMembers(edit.type)
        ? [
            ...new Set(
              edit.members.map((i) => pick(accounts, i)).filter((a): a is string => a !== undefined && a !== owner),
            ),
          ]
        : [];
      const admins = takesAdmins(edit.type) ? members.slice(0, edit.admins) : [];
      const community = edit.type === "Community";
      p.resources.push({
        kind: "group",
        name: fresh(community ? "community" : "room"),
        type: edit.type,
        ...(edit.fixed ? { groupId: community ? `@TGS#_${fresh("c")}` : fresh("g") } : {}),
        title: `room ${n}`,
        owner,
        members,
        admins,
        appDefinedData: edit.data ? { tier: `t${n}` } : {},
        options: {},
      });
      break;
    }
    case "addTopic": {
      const community = pick(
        of(p, "group").filter((g) => g.type === "Community"),
        edit.community,
      );
      if (!community) break;
      p.resources.push({
        kind: "topic",
        name: fresh("topic"),
        community: community.name,
        topicName: `topic ${n}`,
        ...(edit.fixed ? { topicIdSuffix: fresh("t") } : {}),
        options: edit.deletedWith ? { deletedWith: community.name } : {},
      });
      break;
    }
    case "remove": {
      const target = pick(p.resources, edit.target);
      if (!target) break;
      p.resources = p.resources.filter((r) => r !== target && !(r.kind === "topic" && r.community === target.name));
      for (const g of of(p, "group")) {
        if (g.owner === target.name) g.owner = undefined;
        g.members = g.members.filter((m) => m !== target.name);
        g.admins = g.admins.filter((m) => m !== target.name);
      }
      break;
    }
    case "update": {
      const target = pick(p.resources, edit.target);
      if (target?.kind === "account") target.nick = `nick ${n}`;
      if (target?.kind === "topic") target.topicName = `topic ${n}`;
      if (target?.kind === "group") {
        target.title = `room ${n}`;
        target.appDefinedData = n % 2 ? { tier: `t${n}` } : {};
      }
      break;
    }
    case "replace": {
      const target = pick(p.resources, edit.target);
      if (target?.kind === "account") {
        delete target.userId;
        delete target.userIdPrefix;
        Object.assign(target, n % 2 ? { userId: fresh("u") } : { userIdPrefix: `${p.job}-p${n}-` });
      }
      if (target?.kind === "topic") target.topicIdSuffix = fresh("t");
      if (target?.kind === "group") {
        const index = p.resources.indexOf(target);
        if (target.type === "Community") target.groupId = `@TGS#_${fresh("c")}`;
        else if (n % 2 && target.groupId === undefined) target.groupId = fresh("g");
        // A retained group keeps its ID: a replacement under the same ID could never be made.
        else if (target.options.retainOnDelete && target.groupId !== undefined) target.groupId = fresh("g");
        else
          p.resources[index] = withType(
            target,
            (["Public", "Private", "ChatRoom", "AVChatRoom"] as const).filter((t) => t !== target.type)[n % 3],
          );
      }
      break;
    }
    case "rename": {
      const target = pick(p.resources, edit.target);
      if (!target) break;
      const stem =
        target.kind === "account"
          ? "user"
          : target.kind === "topic"
            ? "topic"
            : target.kind === "group" && target.type === "Community"
              ? "community"
              : "room";
      const name = fresh(stem);
      target.options.aliases = [...(target.options.aliases ?? []), target.name];
      for (const r of p.resources) {
        if (r.kind === "topic" && r.community === target.name) {
          r.community = name;
          if (r.options.deletedWith === target.name) r.options.deletedWith = name;
        }
        if (r.kind === "group") {
          if (r.owner === target.name) r.owner = name;
          r.members = r.members.map((m) => (m === target.name ? name : m));
          r.admins = r.admins.map((m) => (m === target.name ? name : m));
        }
      }
      target.name = name;
      break;
    }
    case "retain": {
      const target = pick(
        p.resources.filter((r) => r.kind !== "topic"),
        edit.target,
      );
      if (target) target.options.retainOnDelete = true;
      break;
    }
  }
  return p;
}

/** What the program passes for another resource's output: the value when the program knows it, else the engine's reference. */
function outputOf(p: Program, name: string, property: "userId" | "groupId"): { value: string; from: string } {
  const r = p.resources.find((x) => x.name === name);
  const known = r?.kind === "account" ? r.userId : r?.kind === "group" ? r.groupId : undefined;
  return { value: known ?? `${OUTPUT_REF}${name}.${property}`, from: name };
}

/**
 * The registrations the program makes, as the engine receives them; `adopting` names the
 * resources the user has set `adoptExisting: true` on.
 */
export function registrations(
  p: Program,
  providerText: Record<Kind, string>,
  adopting: ReadonlySet<string> = new Set(),
): Registration[] {
  return p.resources.map((r) => {
    const urn = resourceUrn(TYPES[r.kind], r.name);
    const inputs: Record<string, unknown> = {
      __provider: providerText[r.kind],
      idSeed: identitySeedOf("organization", urn, r.options.retainOnDelete === true),
    };
    // Set while the ID is fixed: the user drops it with the fixed ID (check refuses it without one).
    const fixed = r.kind === "account" ? r.userId : r.kind === "group" ? r.groupId : r.topicIdSuffix;
    if (adopting.has(r.name) && fixed !== undefined) inputs.adoptExisting = true;
    const propertyDependencies: Record<string, string[]> = {};
    const options: RegisteredOptions = {};
    if (r.options.retainOnDelete) options.retainOnDelete = true;
    if (r.options.aliases?.length) options.aliases = [...r.options.aliases];
    if (r.options.deletedWith) options.deletedWith = r.options.deletedWith;
    if (r.kind === "account") {
      Object.assign(inputs, r.userId !== undefined ? { userId: r.userId } : { userIdPrefix: r.userIdPrefix }, {
        nick: r.nick,
      });
    } else if (r.kind === "topic") {
      const community = outputOf(p, r.community, "groupId");
      Object.assign(
        inputs,
        { groupId: community.value, topicName: r.topicName },
        r.topicIdSuffix !== undefined ? { topicIdSuffix: r.topicIdSuffix } : {},
      );
      propertyDependencies.groupId = [community.from];
    } else {
      Object.assign(inputs, { type: r.type, name: r.title }, r.groupId !== undefined ? { groupId: r.groupId } : {});
      if (r.type === "Community") inputs.supportTopic = true;
      if (r.owner) {
        const owner = outputOf(p, r.owner, "userId");
        inputs.ownerAccount = owner.value;
        propertyDependencies.ownerAccount = [owner.from];
      }
      if (r.members.length) {
        const members = r.members.map((m) => outputOf(p, m, "userId"));
        inputs.members = members.map((m) => m.value);
        propertyDependencies.members = members.map((m) => m.from);
      }
      if (r.admins.length) {
        const admins = r.admins.map((m) => outputOf(p, m, "userId"));
        inputs.admins = admins.map((m) => m.value);
        propertyDependencies.admins = admins.map((m) => m.from);
      }
      if (Object.keys(r.appDefinedData).length) inputs.appDefinedData = { ...r.appDefinedData };
    }
    const dependsOn = [...new Set(Object.values(propertyDependencies).flat())];
    // The SDK names every input, with the resources it came from (none for a plain value).
    for (const key of Object.keys(inputs)) propertyDependencies[key] ??= [];
    return { name: r.name, type: TYPES[r.kind], urn, inputs, dependsOn, propertyDependencies, options };
  });
}

/** The model as the Pulumi program a user would write. */
export function programText(p: Program): string {
  const v = (name: string) => `r[${JSON.stringify(name)}]`;
  const lines = [`const { ChatAccount, ChatGroup, ChatTopic } = require("pulumi-tencent-chat");`, `const r = {};`];
  for (const d of p.resources) {
    const opts: string[] = [];
    if (d.options.retainOnDelete) opts.push("retainOnDelete: true");
    if (d.options.aliases?.length) opts.push(`aliases: ${JSON.stringify(d.options.aliases.map((name) => ({ name })))}`);
    if (d.options.deletedWith) opts.push(`deletedWith: ${v(d.options.deletedWith)}`);
    const args: string[] = [];
    if (d.kind === "account") {
      args.push(
        d.userId !== undefined
          ? `userId: ${JSON.stringify(d.userId)}`
          : `userIdPrefix: ${JSON.stringify(d.userIdPrefix)}`,
        `nick: ${JSON.stringify(d.nick)}`,
      );
    } else if (d.kind === "topic") {
      args.push(`groupId: ${v(d.community)}.groupId`, `topicName: ${JSON.stringify(d.topicName)}`);
      if (d.topicIdSuffix !== undefined) args.push(`topicIdSuffix: ${JSON.stringify(d.topicIdSuffix)}`);
    } else {
      args.push(`type: ${JSON.stringify(d.type)}`, `name: ${JSON.stringify(d.title)}`);
      if (d.groupId !== undefined) args.push(`groupId: ${JSON.stringify(d.groupId)}`);
      if (d.type === "Community") args.push("supportTopic: true");
      if (d.owner) args.push(`ownerAccount: ${v(d.owner)}.userId`);
      if (d.members.length) args.push(`members: [${d.members.map((m) => `${v(m)}.userId`).join(", ")}]`);
      if (d.admins.length) args.push(`admins: [${d.admins.map((m) => `${v(m)}.userId`).join(", ")}]`);
      if (Object.keys(d.appDefinedData).length) args.push(`appDefinedData: ${JSON.stringify(d.appDefinedData)}`);
    }
    const cls = { account: "ChatAccount", group: "ChatGroup", topic: "ChatTopic" }[d.kind];
    lines.push(`${v(d.name)} = new ${cls}(${JSON.stringify(d.name)}, { ${args.join(", ")} }, { ${opts.join(", ")} });`);
  }
  return lines.join("\n");
}

/**
 * The resource whose fixed ID (or fixed topic suffix) an error message names, if any. Topics
 * first: a topic's ID holds its Community's, so a message about a topic names both.
 */
export function namedByFixedId(p: Program, message: string): Decl | undefined {
  const escape = (text: string) => text.replace(/[^\w-]/g, "\\$&");
  const names = (r: Decl) => {
    if (r.kind === "topic")
      return r.topicIdSuffix !== undefined && new RegExp(`@TOPIC#_${escape(r.topicIdSuffix)}($|[^\\w-])`).test(message);
    const id = r.kind === "account" ? r.userId : r.groupId;
    return id !== undefined && new RegExp(`(^|[^\\w-])${escape(id)}($|[^\\w-])`).test(message);
  };
  return of(p, "topic").find(names) ?? p.resources.find(names);
}

/** An edit as a line of a failing sequence's report. */
export function describeEdit(e: Edit): string {
  const { op, ...rest } = e;
  return `${op}(${Object.entries(rest)
    .map(([k, value]) => `${k}=${JSON.stringify(value)}`)
    .join(", ")})`;
}
