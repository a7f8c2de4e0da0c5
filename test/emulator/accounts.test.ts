import { useEmulator } from "../helpers/emulator";

const emu = useEmulator();

async function status(...ids: string[]) {
  const res = await emu().account("account_check", { CheckItem: ids.map((UserID) => ({ UserID })) });
  return (res.ResultItem as { UserID: string; AccountStatus: string }[]).map((r) => [r.UserID, r.AccountStatus]);
}

describe("accounts", () => {
  it("imports one account, and importing it again is not an error", async () => {
    await emu().account("account_import", { UserID: "alice", Nick: "Alice" });
    await emu().account("account_import", { UserID: "alice" });
    expect(await status("alice", "bob")).toEqual([
      ["alice", "Imported"],
      ["bob", "NotImported"],
    ]);
    expect((await emu().control.state()).accounts).toEqual(
      expect.arrayContaining([expect.objectContaining({ userId: "alice", nick: "Alice" })]),
    );
  });

  it("accepts the older field name Identifier on account_import", async () => {
    await emu().account("account_import", { Identifier: "legacy" });
    expect(await status("legacy")).toEqual([["legacy", "Imported"]]);
  });

  it("imports many accounts and reports the ones that failed", async () => {
    const res = await emu().account("multiaccount_import", { Accounts: ["a1", "a2", "bad id!"] });
    expect(res.FailAccounts).toEqual(["bad id!"]);
    expect(await status("a1", "a2")).toEqual([
      ["a1", "Imported"],
      ["a2", "Imported"],
    ]);
  });

  it.each([
    ["longer than 32 bytes", "u".repeat(33)],
    ["with a space", "a b"],
    ["empty", ""],
  ])("refuses a UserID %s with 70402", async (_label, UserID) => {
    expect((await emu().fails("im_open_login_svc", "account_import", { UserID })).code).toBe(70402);
  });

  it("always knows the App admin", async () => {
    expect(await status("administrator")).toEqual([["administrator", "Imported"]]);
  });

  it("deletes accounts, answering 70107 per account that does not exist", async () => {
    await emu().importAccounts("gone");
    const res = await emu().account("account_delete", { DeleteItem: [{ UserID: "gone" }, { UserID: "never" }] });
    expect(res.ResultItem).toEqual([
      { ResultCode: 0, ResultInfo: "", UserID: "gone" },
      { ResultCode: 70107, ResultInfo: "Err_TLS_PT_Open_Login_Account_Not_Exist", UserID: "never" },
    ]);
    expect(await status("gone")).toEqual([["gone", "NotImported"]]);
  });

  it("removes a deleted account from its groups and leaves a group it owned without an owner", async () => {
    await emu().importAccounts("boss", "worker");
    await emu().group("create_group", {
      Type: "Public",
      Name: "n",
      GroupId: "shop",
      Owner_Account: "boss",
      MemberList: [{ Member_Account: "worker" }],
    });
    await emu().account("account_delete", { DeleteItem: [{ UserID: "boss" }] });
    const res = await emu().group("get_group_info", { GroupIdList: ["shop"] });
    expect((res.GroupInfo as Record<string, unknown>[])[0]).toMatchObject({ Owner_Account: "", MemberNum: 1 });
  });

  it.each(["pro", "enterprise"] as const)(
    "on the %s plan refuses to import a deleted account again for three months (70399)",
    async (plan) => {
      await emu().control.configure({ plan });
      try {
        await emu().importAccounts("bot", "other");
        await emu().account("account_delete", { DeleteItem: [{ UserID: "bot" }] });
        expect((await emu().fails("im_open_login_svc", "account_import", { UserID: "bot" })).code).toBe(70399);
        expect((await emu().account("multiaccount_import", { Accounts: ["bot", "fresh"] })).FailAccounts).toEqual([
          "bot",
        ]);
        expect(await status("bot", "fresh")).toEqual([
          ["bot", "NotImported"],
          ["fresh", "Imported"],
        ]);
      } finally {
        await emu().control.configure({ plan: "trial" });
      }
    },
  );

  it("on the Trial plan imports a deleted account again at once", async () => {
    await emu().importAccounts("bot");
    await emu().account("account_delete", { DeleteItem: [{ UserID: "bot" }] });
    await emu().account("account_import", { UserID: "bot" });
    expect(await status("bot")).toEqual([["bot", "Imported"]]);
  });

  it("refuses more than 100 accounts in one check", async () => {
    const CheckItem = Array.from({ length: 101 }, (_, i) => ({ UserID: `u${i}` }));
    expect((await emu().fails("im_open_login_svc", "account_check", { CheckItem })).code).toBe(70402);
  });
});

describe("profiles", () => {
  const profile = (command: string, body: unknown) => emu().ok("profile", command, body);

  it("sets and reads a nickname and avatar", async () => {
    await emu().importAccounts("pat");
    await profile("portrait_set", {
      From_Account: "pat",
      ProfileItem: [
        { Tag: "Tag_Profile_IM_Nick", Value: "Pat" },
        { Tag: "Tag_Profile_IM_Image", Value: "https://x/p.png" },
      ],
    });
    const res = await profile("portrait_get", {
      To_Account: ["pat", "nobody"],
      TagList: ["Tag_Profile_IM_Nick", "Tag_Profile_IM_Image"],
    });
    expect(res.UserProfileItem).toEqual([
      {
        To_Account: "pat",
        ProfileItem: [
          { Tag: "Tag_Profile_IM_Nick", Value: "Pat" },
          { Tag: "Tag_Profile_IM_Image", Value: "https://x/p.png" },
        ],
        ResultCode: 0,
        ResultInfo: "",
      },
      { To_Account: "nobody", ProfileItem: [], ResultCode: 40003, ResultInfo: "Err_Profile_Account_Not_Exist" },
    ]);
  });

  it("keeps the Nick given at import", async () => {
    await emu().account("account_import", { UserID: "quinn", Nick: "Quinn" });
    const res = await profile("portrait_get", { To_Account: ["quinn"], TagList: ["Tag_Profile_IM_Nick"] });
    expect((res.UserProfileItem as { ProfileItem: unknown[] }[])[0].ProfileItem).toEqual([
      { Tag: "Tag_Profile_IM_Nick", Value: "Quinn" },
    ]);
  });

  it("answers 40003 for an account that does not exist, 40601 for a value over 500 bytes, 40009 for an unknown tag and 40001 for what it cannot decode", async () => {
    expect(
      (
        await emu().fails("profile", "portrait_set", {
          From_Account: "ghost",
          ProfileItem: [{ Tag: "Tag_Profile_IM_Nick", Value: "x" }],
        })
      ).code,
    ).toBe(40003);
    await emu().importAccounts("pat");
    const set = (item: Record<string, unknown>) =>
      emu().fails("profile", "portrait_set", { From_Account: "pat", ProfileItem: [item] });
    expect((await set({ Tag: "Tag_Profile_IM_Nick", Value: "x".repeat(501) })).code).toBe(40601);
    expect((await set({ Tag: "Tag_Profile_IM_Nickname", Value: "x" })).code).toBe(40009);
    expect((await set({ Tag: "Tag_Profile_IM_Nick", Value: 7 })).code).toBe(40001);
  });
});
