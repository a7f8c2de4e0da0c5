// Quick start: one Tencent Cloud Chat group of each type a Trial app can hold.
// Credentials and endpoint come from stack config (tencent-chat:sdkAppId,
// tencent-chat:secretKey, tencent-chat:endpoint or tencent-chat:region) or the
// TENCENT_CHAT_* environment variables; the program itself never reads them.
import { ChatGroup } from "pulumi-tencent-chat";

// A work group for a team (Tencent's REST name for "Work" is "Private").
const team = new ChatGroup("team", {
  type: "Work",
  name: "Platform team",
  introduction: "Created by the pulumi-tencent-chat quick start",
});

// A public group people can ask to join.
const lobby = new ChatGroup("lobby", {
  type: "Public",
  name: "Lobby",
  applyJoinOption: "NeedPermission",
  appDefinedData: { env: "quickstart" },
});

// A meeting room anyone may join freely ("Meeting" is the REST "ChatRoom").
const standup = new ChatGroup("standup", {
  type: "Meeting",
  name: "Daily stand-up",
  notification: "Stand-up at 10:00",
});

// A live-stream room: members join from the client SDK, not from here.
const live = new ChatGroup("live", {
  type: "AVChatRoom",
  name: "Release party",
});

export const groupIds = {
  team: team.groupId,
  lobby: lobby.groupId,
  standup: standup.groupId,
  live: live.groupId,
};
export const lobbyMemberLimit = lobby.maxMemberCount;
