/**
 * Request and answer bodies of the group commands, with Tencent's field names so that
 * Tencent's pages read directly against them (create_group:
 * https://www.tencentcloud.com/document/product/1047/34895; get_group_info: .../34961;
 * modify_group_base_info: .../34962).
 */

export interface CreateGroupRequest {
  Type: string;
  Name: string;
  GroupId?: string;
  Owner_Account?: string;
  Introduction?: string;
  Notification?: string;
  FaceUrl?: string;
  /** Create-time name; modify and read say MaxMemberNum. */
  MaxMemberCount?: number;
  ApplyJoinOption?: string;
  InviteJoinOption?: string;
  AppDefinedData?: { Key: string; Value: string }[];
  MemberList?: { Member_Account: string; Role?: string }[];
  SupportTopic?: number;
}

/** modify_group_base_info's body: only the fields to change. */
export interface ModifyGroupRequest {
  GroupId: string;
  Name?: string;
  Introduction?: string;
  Notification?: string;
  FaceUrl?: string;
  MaxMemberNum?: number;
  ApplyJoinOption?: string;
  InviteJoinOption?: string;
  MuteAllMember?: "On" | "Off";
  /** A Value of "" deletes the key. */
  AppDefinedData?: { Key: string; Value: string }[];
}

/** One member in get_group_info's MemberList. */
export interface MemberInfo {
  Member_Account: string;
  Role?: string;
  JoinTime?: number;
  NameCard?: string;
  [field: string]: unknown;
}

/** One group in get_group_info's answer; fields the service adds later are kept. */
export interface GroupInfo {
  GroupId: string;
  /** 0, or why this group could not be read (10010/10015: it does not exist). */
  ErrorCode: number;
  ErrorInfo?: string;
  Type?: string;
  Name?: string;
  Appid?: number;
  Introduction?: string;
  Notification?: string;
  FaceUrl?: string;
  Owner_Account?: string;
  CreateTime?: number;
  InfoSeq?: number;
  LastInfoTime?: number;
  MemberNum?: number;
  MaxMemberNum?: number;
  ApplyJoinOption?: string;
  InviteJoinOption?: string;
  /** Current name; older answers say ShutUpAllMember. */
  MuteAllMember?: string;
  ShutUpAllMember?: string;
  AppDefinedData?: { Key: string; Value: string; [field: string]: unknown }[];
  MemberList?: MemberInfo[];
  [field: string]: unknown;
}
