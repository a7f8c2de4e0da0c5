/**
 * Keeping the secret key and every UserSig out of text that may reach a user: error
 * messages, causes, logs. A service or gateway may echo a signature back in any form (a query
 * string, a JSON string, an HTTP error page), so text is scrubbed of the secrets this process
 * knows, in the forms they travel in, and of anything shaped like a UserSig.
 */

const USERSIG_PARAM = /usersig=[^&\s"'<>]*/gi;

/**
 * A UserSig is zlib-deflated JSON in Base64 (so it starts "eJ"), in Tencent's alphabet
 * (`*`, `-`, `_`) or the standard one, possibly percent-encoded. Twenty more characters are
 * far more than an ordinary word has, far fewer than a signature.
 */
const USERSIG_SHAPE = /eJ(?:[A-Za-z0-9*\-_+/=]|%[0-9A-Fa-f]{2}){20,}/g;

/** Base64 of `secret` as it appears inside a longer Base64 text at each of the three byte alignments, trimmed of the ends the neighbours change. */
function base64Cores(secret: string): string[] {
  return [0, 1, 2].flatMap((pad) => {
    const encoded = Buffer.from(`${"\0".repeat(pad)}${secret}`).toString("base64");
    const core = encoded.slice(pad === 0 ? 0 : 4, -4);
    return [core, core.replace(/\+/g, "-").replace(/\//g, "_")];
  });
}

/**
 * The forms a secret takes as a whole on its way: as it is, percent-encoded, JSON-escaped, in
 * standard Base64 (Tencent's alphabet translated), Base64 of its text (URL-safe too) and hex.
 */
function forms(secret: string): string[] {
  const standardBase64 = secret.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");
  const hex = Buffer.from(secret).toString("hex");
  return [
    ...new Set([
      secret,
      encodeURIComponent(secret),
      JSON.stringify(secret).slice(1, -1),
      standardBase64,
      ...base64Cores(secret),
      hex,
      hex.toUpperCase(),
    ]),
  ].filter((f) => f.length >= 4);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/** One character as a gateway or a page may write it: itself, %XX, \uXXXX, &#NN; or &#xHH;. */
function characterForms(char: string): string {
  const code = char.charCodeAt(0);
  const hex = code.toString(16);
  return [
    escapeRegExp(char),
    `%${hex.padStart(2, "0")}`,
    `\\\\u0*${hex}`,
    `&#0*${code};`,
    `&#[xX]0*${hex};`,
    ...(char === "/" ? ["\\\\/"] : []),
  ].join("|");
}

const PATTERNS = new Map<string, RegExp>();

/**
 * The secret character by character, each in any of its forms, with spaces, line breaks or
 * zero-width spaces allowed between them: a signature wrapped, escaped character by character
 * or spread out on a page is found too.
 */
function spreadPattern(secret: string): RegExp {
  let pattern = PATTERNS.get(secret);
  if (!pattern) {
    const gap = "(?:\\s|\\u200b|&nbsp;|\\\\[nrt])*";
    pattern = new RegExp([...secret].map((c) => `(?:${characterForms(c)})`).join(gap), "gi");
    // A handful of secrets a process: the signer's current ones and the key.
    if (PATTERNS.size > 64) PATTERNS.clear();
    PATTERNS.set(secret, pattern);
  }
  return pattern;
}

/** Removes the given secrets, in any of their forms, from text. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of forms(secret)) out = out.split(form).join("[redacted]");
    out = out.replace(spreadPattern(secret), "[redacted]");
  }
  return out;
}

/** Removes UserSigs, and the given secrets in any of their forms, from text. */
export function redact(text: string, secrets: readonly string[] = []): string {
  return scrubSecrets(text.replace(USERSIG_PARAM, "usersig=[redacted]"), secrets).replace(
    USERSIG_SHAPE,
    "[redacted usersig]",
  );
}

/**
 * A setting's value for an error message, unless it could be a secret pasted in the wrong
 * place (long, without spaces): then only its length is given.
 */
export function mention(value: string): string {
  const couldBeSecret = value.length >= 20 && !/\s/.test(value);
  return couldBeSecret
    ? `a value of ${value.length} characters (not repeated here, in case it is a secret)`
    : JSON.stringify(value);
}
