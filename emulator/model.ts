/** The records the emulator keeps: what a Chat application holds for groups and accounts. */

import type { GroupType } from "../chat-api/groups";

export { GROUP_TYPES, type GroupType } from "../chat-api/groups";

export type MemberRole = "Owner" | "Admin" | "Member";

/** A member of a group, as the emulator holds it. */
export interface MemberRecord {
  account: string;
  role: MemberRole;
  joinTime: number;
  nameCard: string;
}

/** A group, as the emulator holds it. */
export interface GroupRecord {
  groupId: string;
  /** Creation order; `get_appid_group_list` pages by it. */
  seq: number;
  type: GroupType;
  name: string;
  introduction: string;
  notification: string;
  faceUrl: string;
  /** Empty for a group created without an owner. */
  owner: string;
  createTime: number;
  infoSeq: number;
  lastInfoTime: number;
  maxMemberNum: number;
  applyJoinOption: string;
  inviteJoinOption: string;
  muteAllMember: "On" | "Off";
  supportTopic: 0 | 1;
  appDefinedData: Record<string, string>;
  members: MemberRecord[];
  /** Topics of a Community with SupportTopic; absent in state files written before topics. */
  topics?: TopicRecord[];
}

/** A topic of a Community, as the emulator holds it. */
export interface TopicRecord {
  topicId: string;
  topicName: string;
  introduction: string;
  notification: string;
  faceUrl: string;
  customString: string;
  muteAllMember: "On" | "Off";
  createTime: number;
}

/** An imported account, as the emulator holds it. */
export interface AccountRecord {
  userId: string;
  nick: string;
  faceUrl: string;
  importTime: number;
}

/** What `--state-file` holds. */
export interface Snapshot {
  version: 1;
  nextSeq: number;
  groups: GroupRecord[];
  accounts: AccountRecord[];
  /** IDs of dissolved groups, so lookups can tell "dissolved" (10010) from "never existed" (10015). */
  dissolved: string[];
  /** Deleted accounts and when (Unix seconds): paid plans refuse them for three months. Absent in older files. */
  deletedAccounts?: Record<string, number>;
  /** Net new groups of one Beijing day, for the daily quota (policy.ts). Absent in older files. */
  groupsToday?: GroupsToday;
}

/** Groups created less groups dissolved on `day` (YYYY-MM-DD, UTC+8). */
export interface GroupsToday {
  day: string;
  net: number;
}
