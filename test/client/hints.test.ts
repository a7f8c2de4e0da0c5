/**
 * The README's troubleshooting table, read as a contract: every ErrorCode in it, answered with
 * a terse ErrorInfo as the service gives them, fails with a message that says what to do and
 * names each setting the table's row names, whatever the ErrorInfo said.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";

import { isChatApiError } from "../../provider/client/errors";
import { testClient } from "../helpers/client";
import { useEmulator } from "../helpers/emulator";

const emu = useEmulator({ rateLimit: 0 });

interface Row {
  codes: number[];
  settings: string[];
}

/** The rows of the README's troubleshooting table: their codes, and the settings they name. */
function troubleshootingRows(): Row[] {
  const readme = readFileSync(path.join(__dirname, "../../README.md"), "utf8");
  const section = readme.slice(
    readme.indexOf("## Troubleshooting"),
    readme.indexOf("\n## ", readme.indexOf("## Troubleshooting") + 1),
  );
  return section
    .split("\n")
    .filter((line) => /^\| \d{5}/.test(line))
    .map((line) => {
      const [first, , todo] = line.split(" | ");
      return {
        codes: [...first.matchAll(/\d{5}/g)].map((m) => Number(m[0])),
        settings: [...todo.matchAll(/tencent-chat:\w+/g)].map((m) => m[0]),
      };
    });
}

const cases = troubleshootingRows().flatMap((row) => row.codes.map((code) => [code, row.settings] as const));

describe("the README's troubleshooting table", () => {
  it("lists codes", () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  it.each(cases)("%d, answered tersely, fails saying what to do and naming %j", async (errorCode, settings) => {
    await emu().control.addFault({
      command: "get_group_info",
      action: { kind: "error", errorCode, errorInfo: "err" },
      times: 5,
    });
    // A throttling code is retried until the deadline: one of a millisecond ends it at once.
    const { client } = testClient(emu(), { throttleDeadlineMs: 1 });
    const err = await client.getGroupInfo(["g"]).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isChatApiError(err)) throw new Error(`expected a ChatApiError, got ${String(err)}`);
    expect(err.errorCode).toBe(errorCode);
    // The message goes beyond "<command> failed: <code> err (after n attempts)".
    expect(err.message).toMatch(/^get_group_info failed: \d+ err( \(after \d+ attempts\))?\. \S.{20,}/);
    for (const setting of settings) expect(err.message).toContain(setting);
  });
});
