/**
 * Small probes of what Tencent leaves open, each answering in the words of the emulator's
 * switch for it (emulator/policy.ts): run against a real app they say which rule the app
 * follows (`npm run test:probe`), and run against the emulator under each setting they must
 * name that setting (probes.test.ts), so a probe is known to tell the settings apart.
 *
 * Each probe makes only objects named with the run's prefix, through the Chat API itself,
 * and removes them before it returns, whatever the app answered.
 */
import { z } from "zod";

import { CODE } from "../../chat-api/codes";
import { LEGACY_GROUP_TEXT_LIMITS } from "../../chat-api/groups";
import { TOPIC_ID_MARKER, TOPIC_SERVICE } from "../../chat-api/topics";
import { type ChatClient, PROFILE_TAGS } from "../../provider/client/client";
import { isApiError } from "../../provider/client/errors";
import type { RestCaller } from "../../provider/client/rest-caller";

/** What a probe found: the answer in the emulator switch's terms, and what the call said. */
export interface ProbeResult {
  /** The setting of the emulator switch the app behaves as, or "not probed" with the reason. */
  answer: string;
  /** What the app said, for the table: a code, or "OK". */
  said: string;
}

export interface Probe {
  /** The open fact, as the table names it. */
  fact: string;
  /** The emulator switch that stands for it (a key of the emulator's policy). */
  setting:
    | "textLimits"
    | "workGroupAdmins"
    | "destroyedGroupIds"
    | "missingTopicAnswer"
    | "plan"
    | "accountIds"
    | "missingProfileAnswer"
    | "applyJoinDefaults"
    | "topicReaders";
  /** `caller` sends a command as it is, for answers the client reads the same whatever their form. */
  run(client: ChatClient, prefix: string, caller: RestCaller): Promise<ProbeResult>;
  /** The stack setting an app that answers so needs, when the provider follows the fact through one. */
  stackSetting?(answer: string): string | undefined;
}

/** The code of a refused call, or "OK"; any other failure is thrown. */
async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (err) {
    if (isApiError(err)) return String(err.errorCode);
    throw err;
  }
}

/** Runs `work`, then removes the groups it names, whatever happened. */
async function withGroups<T>(client: ChatClient, ids: string[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    for (const id of ids) await client.destroyGroup(id).catch(() => undefined);
  }
}

/** Runs `work`, then deletes the accounts it names, whatever happened. */
async function withAccounts<T>(client: ChatClient, ids: string[], work: () => Promise<T>): Promise<T> {
  try {
    await client.importAccounts(ids);
    return await work();
  } finally {
    await client.deleteAccounts(ids).catch(() => undefined);
  }
}

/** A text of `bytes` bytes of ASCII. */
const bytesOf = (bytes: number) => "x".repeat(bytes);

/** One probe per group text: a value over the legacy limit and within the current one. */
const textLimitProbes: Probe[] = (["Name", "Introduction", "Notification", "FaceUrl"] as const).map((field) => ({
  fact: `group ${field} of ${LEGACY_GROUP_TEXT_LIMITS[field] + 1} bytes (legacy limit ${LEGACY_GROUP_TEXT_LIMITS[field]})`,
  setting: "textLimits",
  async run(client, prefix) {
    const groupId = `${prefix}text-${field.toLowerCase()}`;
    return withGroups(client, [groupId], async () => {
      const said = await outcome(
        client.createGroup({
          Type: "Public",
          Name: "probe",
          GroupId: groupId,
          [field]: bytesOf(LEGACY_GROUP_TEXT_LIMITS[field] + 1),
        }),
      );
      return { answer: said === "OK" ? "current" : said === "10004" ? "legacy" : `not probed (${said})`, said };
    });
  },
}));

const workGroupAdmins: Probe = {
  fact: "an admin in a Work (Private) group",
  setting: "workGroupAdmins",
  async run(client, prefix) {
    const [owner, member] = [`${prefix}owner`, `${prefix}member`];
    const groupId = `${prefix}work`;
    return withAccounts(client, [owner, member], () =>
      withGroups(client, [groupId], async () => {
        await client.createGroup({
          Type: "Private",
          Name: "probe",
          GroupId: groupId,
          Owner_Account: owner,
          MemberList: [{ Member_Account: member }],
        });
        const said = await outcome(client.setMemberRole(groupId, member, "Admin"));
        return { answer: said === "OK" ? "allowed" : "refused", said };
      }),
    );
  },
  stackSetting: (answer) =>
    answer === "allowed"
      ? "pulumi config set tencent-chat:workGroupAdmins allowed (or the app profile's workGroupAdmins): ChatGroup.admins and ChatGroupMember.role may then make admins in a Work group"
      : undefined,
};

const destroyedGroupIds: Probe = {
  fact: "a custom GroupId created again right after destroy_group",
  setting: "destroyedGroupIds",
  async run(client, prefix) {
    const groupId = `${prefix}reuse`;
    return withGroups(client, [groupId], async () => {
      await client.createGroup({ Type: "Public", Name: "probe", GroupId: groupId });
      await client.destroyGroup(groupId);
      const said = await outcome(client.createGroup({ Type: "Public", Name: "probe", GroupId: groupId }));
      return {
        answer: said === "OK" ? "reusable" : said === "10021" || said === "10025" ? "reserved" : `not probed (${said})`,
        said,
      };
    });
  },
};

const missingTopicAnswer: Probe = {
  fact: "get_topic for a topic that does not exist",
  setting: "missingTopicAnswer",
  async run(client, prefix) {
    const [owner, groupId] = [`${prefix}guildowner`, `@TGS#_${prefix}guild`];
    // An owner, whom the client reads topics as if the App admin is refused (topicReaders).
    return withAccounts(client, [owner], () =>
      withGroups(client, [groupId], async () => {
        const made = await outcome(
          client.createGroup({
            Type: "Community",
            Name: "probe",
            GroupId: groupId,
            Owner_Account: owner,
            SupportTopic: 1,
          }),
        );
        if (made !== "OK") return { answer: `not probed (a Community with topics: ${made})`, said: made };
        try {
          const items = await client.getTopics(groupId, [`${groupId}${TOPIC_ID_MARKER}missing`]);
          if (!items.length) return { answer: "omitted", said: "OK, no item" };
          const code = items[0].errorCode;
          return { answer: code === 110003 ? "item" : `item with ${code}`, said: `OK, an item with ${code}` };
        } catch (err) {
          if (!isApiError(err)) throw err;
          return { answer: `call-${err.errorCode}`, said: String(err.errorCode) };
        }
      }),
    );
  },
};

/**
 * get_topic as the App admin, who is not a member of the Community: its page (78204) requires
 * From_Account and does not say whether the service minds. Asked as it is, without the
 * client's reading as the owner when refused.
 */
const topicReaders: Probe = {
  fact: "get_topic as the App admin, not a member of the Community",
  setting: "topicReaders",
  async run(client, prefix, caller) {
    const [owner, groupId] = [`${prefix}hallowner`, `@TGS#_${prefix}hall`];
    return withAccounts(client, [owner], () =>
      withGroups(client, [groupId], async () => {
        const made = await outcome(
          client.createGroup({
            Type: "Community",
            Name: "probe",
            GroupId: groupId,
            Owner_Account: owner,
            SupportTopic: 1,
          }),
        );
        if (made !== "OK") return { answer: `not probed (a Community with topics: ${made})`, said: made };
        await client.createTopic({ GroupId: groupId, TopicName: "probe" });
        const said = await outcome(
          caller.call(TOPIC_SERVICE, "get_topic", { GroupId: groupId, From_Account: client.identifier }, z.unknown(), {
            idempotent: true,
          }),
        );
        return { answer: said === "OK" ? "anyone" : "members", said };
      }),
    );
  },
};

const reimport: Probe = {
  fact: "an account imported again right after account_delete",
  setting: "plan",
  async run(client, prefix) {
    const userId = `${prefix}again`;
    try {
      await client.importAccounts([userId]);
      const [deleted] = await client.deleteAccounts([userId]);
      if (deleted && deleted.resultCode !== 0)
        return { answer: `not probed (account_delete: ${deleted.resultCode})`, said: String(deleted.resultCode) };
      const said = await outcome(client.importAccount({ userId }));
      // A paid plan refuses the UserID for three months (doc 34955): which paid plan, a probe cannot tell.
      return {
        answer:
          said === "OK"
            ? "trial"
            : said === "70399"
              ? "a paid plan (pro, pro-plus, enterprise)"
              : `not probed (${said})`,
        said,
      };
    } finally {
      await client.deleteAccounts([userId]).catch(() => undefined);
    }
  },
};

const accountIds: Probe = {
  fact: 'an account ID with "." and "@"',
  setting: "accountIds",
  async run(client, prefix) {
    const userId = `${prefix}a.b@c`;
    try {
      const said = await outcome(client.importAccount({ userId }));
      return {
        answer:
          said === "OK"
            ? "extended"
            : said === String(CODE.accountInvalidParam)
              ? "recommended"
              : `not probed (${said})`,
        said,
      };
    } finally {
      await client.deleteAccounts([userId]).catch(() => undefined);
    }
  },
};

/** portrait_get's answer as it comes, item by item: the client reads either form the same. */
const PortraitItems = z.looseObject({
  UserProfileItem: z.array(z.looseObject({ To_Account: z.string(), ResultCode: z.number() })).default([]),
});

const missingProfileAnswer: Probe = {
  fact: "portrait_get for an account that does not exist",
  setting: "missingProfileAnswer",
  async run(client, prefix, caller) {
    const [userId, nobody] = [`${prefix}profile`, `${prefix}nobody`];
    return withAccounts(client, [userId], async () => {
      try {
        const answer = await caller.call(
          "profile",
          "portrait_get",
          { To_Account: [userId, nobody], TagList: [PROFILE_TAGS.nick] },
          PortraitItems,
          { idempotent: true },
        );
        const item = answer.UserProfileItem.find((i) => i.To_Account === nobody);
        if (!item) return { answer: "not probed (no item for it)", said: "OK, no item" };
        return {
          answer: item.ResultCode === CODE.profileAccountNotFound ? "item" : `item with ${item.ResultCode}`,
          said: `OK, an item with ${item.ResultCode}`,
        };
      } catch (err) {
        if (!isApiError(err)) throw err;
        return {
          answer: err.errorCode === CODE.profileAccountNotFound ? "call" : `call with ${err.errorCode}`,
          said: String(err.errorCode),
        };
      }
    });
  },
};

/**
 * What a Work group made without ApplyJoinOption reads back: create_group's page says
 * NeedPermission; the client pages describe a Work group as taking no join requests.
 */
const applyJoinDefaults: Probe = {
  fact: "ApplyJoinOption of a Work group made without one",
  setting: "applyJoinDefaults",
  async run(client, prefix) {
    const groupId = `${prefix}join-default`;
    return withGroups(client, [groupId], async () => {
      await client.createGroup({ Type: "Private", Name: "probe", GroupId: groupId });
      const read = (await client.getGroup(groupId))?.ApplyJoinOption ?? "(none)";
      return {
        answer: read === "NeedPermission" ? "documented" : read === "DisableApply" ? "by-type" : `not probed (${read})`,
        said: `OK, ${read}`,
      };
    });
  },
};

export const PROBES: readonly Probe[] = [
  ...textLimitProbes,
  workGroupAdmins,
  destroyedGroupIds,
  missingTopicAnswer,
  reimport,
  accountIds,
  missingProfileAnswer,
  applyJoinDefaults,
  topicReaders,
];
