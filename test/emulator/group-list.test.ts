import { useEmulator } from "../helpers/emulator";

const emu = useEmulator({ rateLimits: { get_appid_group_list: 0 } });

/** Reads Next as the text the server sent: it is a uint64 and must not pass through a JS number. */
function nextText(text: string): string {
  const match = /"Next":(\d+)/.exec(text);
  if (!match) throw new Error(`no Next in ${text}`);
  return match[1];
}

async function page(limit: number, next: string, groupType?: string) {
  const type = groupType ? `,"GroupType":"${groupType}"` : "";
  const res = await emu().raw("group_open_http_svc", "get_appid_group_list", undefined, {
    rawBody: `{"Limit":${limit},"Next":${next}${type}}`,
  });
  expect(res.json).toMatchObject({ ActionStatus: "OK", ErrorCode: 0 });
  return {
    ids: (res.json.GroupIdList as { GroupId: string }[]).map((g) => g.GroupId),
    next: nextText(res.text),
    total: res.json.TotalCount,
  };
}

describe("get_appid_group_list", () => {
  beforeEach(async () => {
    for (let i = 0; i < 25; i++)
      await emu().group("create_group", {
        Type: i % 5 === 0 ? "Private" : "Public",
        Name: "n",
        GroupId: `g${String(i).padStart(2, "0")}`,
      });
  });

  it("pages through every group with Next, which ends at 0", async () => {
    const seen: string[] = [];
    let next = "0";
    let pages = 0;
    do {
      const p = await page(10, next);
      expect(p.total).toBe(25);
      seen.push(...p.ids);
      next = p.next;
      pages++;
    } while (next !== "0");
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `g${String(i).padStart(2, "0")}`));
  });

  it("sends Next as a 64-bit integer beyond JavaScript's safe range", async () => {
    const { next } = await page(10, "0");
    expect(BigInt(next) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    // A client that parses it as a number and sends it back gets the wrong page.
    const lossy = String(BigInt(Number(next)));
    expect(lossy).not.toBe(next);
    expect((await page(10, lossy)).ids).not.toEqual((await page(10, next)).ids);
  });

  it("filters by GroupType and counts only that type", async () => {
    const p = await page(100, "0", "Private");
    expect(p.ids).toEqual(["g00", "g05", "g10", "g15", "g20"]);
    expect(p.total).toBe(5);
  });

  it("does not repeat or skip groups dissolved between pages", async () => {
    const first = await page(10, "0");
    await emu().group("destroy_group", { GroupId: "g03" });
    await emu().group("destroy_group", { GroupId: "g12" });
    const second = await page(10, first.next);
    expect(second.ids[0]).toBe("g10");
    expect(second.ids).not.toContain("g12");
  });

  it("refuses a Limit above 10000 and a negative Next with 10004", async () => {
    expect((await emu().groupFails("get_appid_group_list", { Limit: 10001 })).code).toBe(10004);
    expect((await emu().groupFails("get_appid_group_list", { Next: -1 })).code).toBe(10004);
  });
});
