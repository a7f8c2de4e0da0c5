/**
 * Secrets kept out of text in whatever form a service, a gateway or a page echoes them: each
 * encoding of a UserSig and of the secret key is scrubbed, and the text around it is kept.
 */
import { redact, scrubSecrets } from "../../chat-api/redaction";
import { generateUserSig } from "../../chat-api/usersig";
import { TEST_KEY } from "../helpers/emulator";

const SIG = generateUserSig({
  sdkAppId: 1400000042,
  secretKey: TEST_KEY,
  identifier: "administrator",
  expireSeconds: 3600,
});

/** The forms, and how to undo each, so that a test can look for what would survive decoding. */
const ENCODINGS: [string, (s: string) => string, (text: string) => string][] = [
  ["as it is", (s) => s, (t) => t],
  ["percent-encoded", encodeURIComponent, (t) => t],
  ["in Base64 of its text", (s) => Buffer.from(s).toString("base64"), (t) => t],
  ["in Base64, inside a longer Base64 text", (s) => Buffer.from(`ab${s}cd`).toString("base64"), (t) => t],
  [
    "in URL-safe Base64, inside a longer text, another alignment",
    (s) => Buffer.from(`a${s}`).toString("base64url"),
    (t) => t,
  ],
  ["in hex", (s) => Buffer.from(s).toString("hex"), (t) => t],
  ["in upper-case hex", (s) => Buffer.from(s).toString("hex").toUpperCase(), (t) => t],
  [
    "as decimal HTML entities",
    (s) => [...s].map((c) => `&#${c.charCodeAt(0)};`).join(""),
    (t) => t.replace(/&#(\d+);/g, (_, d) => String.fromCharCode(Number(d))),
  ],
  [
    "as hex HTML entities",
    (s) => [...s].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join(""),
    (t) => t.replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCharCode(parseInt(h, 16))),
  ],
  [
    "as \\u escapes",
    (s) => [...s].map((c) => `\\u00${c.charCodeAt(0).toString(16)}`).join(""),
    (t) => t.replace(/\\u([0-9a-f]{4})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))),
  ],
  ["with spaces between its characters", (s) => [...s].join(" "), (t) => t.replace(/\s/g, "")],
  ["wrapped over lines", (s) => s.match(/.{1,40}/g)?.join("\n") ?? s, (t) => t.replace(/\s/g, "")],
  ["with zero-width spaces", (s) => [...s].join("\u200b"), (t) => t.replace(/\u200b/g, "")],
];

/** Any 24 characters of the secret found in the decoded text, in any of the plain forms. */
function traceOf(secret: string, text: string): string | undefined {
  const plain = [secret, Buffer.from(secret).toString("hex"), Buffer.from(secret).toString("base64")];
  for (const form of plain)
    for (let i = 0; i + 24 <= form.length; i += 8)
      if (text.toLowerCase().includes(form.slice(i, i + 24).toLowerCase())) return form.slice(i, i + 24);
  return undefined;
}

describe("redaction", () => {
  describe.each([
    ["a UserSig", SIG],
    ["the secret key", TEST_KEY],
  ])("of %s", (_label, secret) => {
    it.each(ENCODINGS)("removes it echoed %s, and keeps the text around it", (_form, encode, decode) => {
      const out = scrubSecrets(`upstream said: ${encode(secret)} (request 42)`, [SIG, TEST_KEY]);
      expect(traceOf(secret, decode(out))).toBeUndefined();
      expect(out).toMatch(/^upstream said: .*\[redacted\].* \(request 42\)$/s);
    });
  });

  it("leaves text without a secret as it is", () => {
    const text = "group pulumi-room-1 has 3 members: alice, bob, eJ (a name)";
    expect(scrubSecrets(text, [SIG, TEST_KEY])).toBe(text);
    expect(redact(text, [SIG, TEST_KEY])).toBe(text);
  });

  it("also removes, in error texts only, anything shaped like a UserSig it does not know", () => {
    const other = generateUserSig({
      sdkAppId: 1400000042,
      secretKey: "another-key",
      identifier: "x",
      expireSeconds: 60,
    });
    expect(redact(`bad ${other}`)).toBe("bad [redacted usersig]");
    expect(scrubSecrets(`name ${other}`, [SIG])).toBe(`name ${other}`);
  });
});
