/**
 * The emulator's Community topic commands in the service's shapes: create_topic, get_topic,
 * modify_topic and destroy_topic (per-topic DestroyResultItem), 11000 for a group without
 * topics, 10010 for one that is gone, 10004 naming the field and its limit.
 */
import { useEmulator } from "../helpers/emulator";

const emu = useEmulator();
const TOPIC = "million_group_open_http_svc";
let gid = "";

beforeEach(async () => {
  gid = (
    (await emu().group("create_group", { Type: "Community", Name: "Guild", SupportTopic: 1 })) as { GroupId: string }
  ).GroupId;
});

const get = async (body: Record<string, unknown> = {}) =>
  (await emu().ok(TOPIC, "get_topic", { GroupId: gid, From_Account: "administrator", ...body })).TopicAndSelfInfo as {
    ErrorCode: number;
    TopicInfo: Record<string, unknown>;
  }[];

describe("Community topics", () => {
  it("creates under a custom or generated ID, reads one or all, modifies, and destroys per topic", async () => {
    expect(
      await emu().ok(TOPIC, "create_topic", {
        GroupId: gid,
        TopicId: `${gid}@TOPIC#_news`,
        TopicName: "News",
        Notification: "hi",
      }),
    ).toMatchObject({
      ActionStatus: "OK",
      ErrorCode: 0,
      TopicId: `${gid}@TOPIC#_news`,
    });
    const generated = (await emu().ok(TOPIC, "create_topic", { GroupId: gid, TopicName: "Chat" })).TopicId as string;
    expect(generated).toMatch(new RegExp(`^${gid.replace(/[$^#@]/g, "\\$&")}@TOPIC#_@TOPIC#c[A-Z0-9]{9}$`));

    expect((await get()).map((i) => i.TopicInfo.TopicName)).toEqual(["News", "Chat"]);
    const [news, missing] = await get({ TopicIdList: [`${gid}@TOPIC#_news`, `${gid}@TOPIC#_gone`] });
    expect(news).toMatchObject({
      ErrorCode: 0,
      TopicInfo: {
        TopicId: `${gid}@TOPIC#_news`,
        TopicName: "News",
        Notification: "hi",
        Introduction: "",
        CustomString: "",
      },
    });
    expect(missing).toMatchObject({ ErrorCode: 110003, TopicInfo: { TopicId: `${gid}@TOPIC#_gone` } });

    await emu().ok(TOPIC, "modify_topic", {
      GroupId: gid,
      TopicId: generated,
      Introduction: "talk",
      MuteAllMember: "On",
    });
    expect((await get({ TopicIdList: [generated] }))[0].TopicInfo).toMatchObject({
      TopicName: "Chat",
      Introduction: "talk",
      ShutUpAllFlag: 1,
    });

    const destroyed = await emu().ok(TOPIC, "destroy_topic", { GroupId: gid, TopicIdList: [generated, generated] });
    expect(destroyed.DestroyResultItem).toEqual([
      { ErrorCode: 0, ErrorInfo: "ok", TopicId: generated },
      { ErrorCode: 110003, ErrorInfo: "topic has been deleted", TopicId: generated },
    ]);
  });

  it("refuses a group without topics (11000), a gone group (10010), a taken ID, and fields over their limits", async () => {
    const plain = ((await emu().group("create_group", { Type: "Community", Name: "Plain" })) as { GroupId: string })
      .GroupId;
    expect((await emu().fails(TOPIC, "create_topic", { GroupId: plain, TopicName: "x" })).code).toBe(11000);
    await emu().ok(TOPIC, "create_topic", { GroupId: gid, TopicId: `${gid}@TOPIC#_a`, TopicName: "A" });
    expect(
      (await emu().fails(TOPIC, "create_topic", { GroupId: gid, TopicId: `${gid}@TOPIC#_a`, TopicName: "A" })).code,
    ).toBe(10021);
    expect(
      await emu().fails(TOPIC, "create_topic", { GroupId: gid, TopicId: "elsewhere@TOPIC#_a", TopicName: "A" }),
    ).toMatchObject({ code: 10004, info: expect.stringContaining("TopicId") });
    expect(await emu().fails(TOPIC, "create_topic", { GroupId: gid, TopicName: "x".repeat(31) })).toMatchObject({
      code: 10004,
      info: "TopicName is longer than 30 bytes",
    });
    expect(
      await emu().fails(TOPIC, "modify_topic", {
        GroupId: gid,
        TopicId: `${gid}@TOPIC#_a`,
        CustomString: "x".repeat(3001),
      }),
    ).toMatchObject({ code: 10004, info: "CustomString is longer than 3000 bytes" });
    expect((await emu().fails(TOPIC, "get_topic", { GroupId: gid })).code).toBe(10004);
    expect(
      (await emu().fails(TOPIC, "modify_topic", { GroupId: gid, TopicId: `${gid}@TOPIC#_none`, TopicName: "x" })).code,
    ).toBe(110003);

    await emu().group("destroy_group", { GroupId: gid });
    expect((await emu().fails(TOPIC, "destroy_topic", { GroupId: gid, TopicIdList: [`${gid}@TOPIC#_a`] })).code).toBe(
      10010,
    );
  });
});
