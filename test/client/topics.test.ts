/**
 * How the client tells a missing topic from a failure when the service's answer is not the
 * documented one: a server on loopback answers get_topic and destroy_topic with per-topic
 * codes the documentation does not list, or leaves the topic out. "Gone" is decided by the
 * group's list of topics, never by guessing what an unknown code means, and a signature the
 * server echoes back never reaches the error.
 */
import * as http from "node:http";

import { ChatClient } from "../../provider/client/client";
import { TEST_KEY, TEST_SDKAPPID } from "../helpers/emulator";
import { startStubServer } from "../helpers/stub-server";

const GROUP = "@TGS#_guild";
const KEPT = `${GROUP}@TOPIC#_kept`;
const GONE = `${GROUP}@TOPIC#_gone`;

/** A server whose get_topic lists only KEPT, and answers a named topic with `perTopic`. */
async function server(perTopic: (topicId: string) => Record<string, unknown> | undefined) {
  const calls: { command: string; url: string; body: Record<string, unknown> }[] = [];
  const stub = await startStubServer((req: http.IncomingMessage, res: http.ServerResponse) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const command = url.pathname.split("/").pop() as string;
      const body = JSON.parse(text) as { TopicIdList?: string[] };
      calls.push({ command, url: req.url ?? "", body });
      const ok = { ActionStatus: "OK", ErrorCode: 0, ErrorInfo: "" };
      let answer: Record<string, unknown> = ok;
      if (command === "get_topic") {
        answer = body.TopicIdList
          ? { ...ok, TopicAndSelfInfo: body.TopicIdList.map(perTopic).filter(Boolean) }
          : { ...ok, TopicAndSelfInfo: [{ ErrorCode: 0, TopicInfo: { TopicId: KEPT, TopicName: "Kept" } }] };
      } else if (command === "destroy_topic") {
        answer = {
          ...ok,
          DestroyResultItem: (body.TopicIdList ?? []).map((TopicId) => ({
            TopicId,
            ErrorCode: 10007,
            ErrorInfo: `undocumented, for usersig ${url.searchParams.get("usersig")}`,
          })),
        };
      }
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(answer));
    });
  });
  const client = new ChatClient({ sdkAppId: TEST_SDKAPPID, secretKey: TEST_KEY, endpoint: stub.url, maxAttempts: 1 });
  return { client, calls, close: stub.close };
}

/** The UserSig the server was sent, read from the last call's URL. */
const sig = (calls: { url: string }[]) =>
  new URL(calls[calls.length - 1].url, "http://x").searchParams.get("usersig") as string;

describe("ChatClient topics against answers the documentation does not describe", () => {
  it.each([
    ["an unknown per-topic code", (id: string) => ({ ErrorCode: 123456, ErrorInfo: "?", TopicInfo: { TopicId: id } })],
    ["no item for the topic", () => undefined],
  ])("reads a topic as gone only when the group's list lacks it (%s)", async (_, perTopic) => {
    const s = await server(perTopic);
    try {
      expect(await s.client.getTopic(GROUP, GONE)).toBeUndefined();
      expect(await s.client.getTopic(GROUP, KEPT)).toMatchObject({ TopicId: KEPT, TopicName: "Kept" });
      expect(s.calls.map((c) => c.command)).toEqual(["get_topic", "get_topic", "get_topic", "get_topic"]);
    } finally {
      await s.close();
    }
  });

  it("takes an undocumented destroy_topic result as deleted only for a topic the group no longer lists", async () => {
    const s = await server(() => undefined);
    try {
      expect(await s.client.destroyTopic(GROUP, GONE)).toBe("already-gone");
      const err = (await s.client.destroyTopic(GROUP, KEPT).catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/destroy_topic failed: 10007 undocumented, for usersig \[redacted/);
      expect(err.message).not.toContain(sig(s.calls));
    } finally {
      await s.close();
    }
  });
});
