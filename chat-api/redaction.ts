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

/** The forms a secret takes on its way: as it is, percent-encoded, JSON-escaped, in standard Base64. */
function forms(secret: string): string[] {
  const standardBase64 = secret.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");
  return [...new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), standardBase64])].filter((f) => f.length >= 4);
}

/** Removes UserSigs, and the given secrets in any of their forms, from text. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(USERSIG_PARAM, "usersig=[redacted]");
  for (const secret of secrets) for (const form of forms(secret)) out = out.split(form).join("[redacted]");
  return out.replace(USERSIG_SHAPE, "[redacted usersig]");
}

/**
 * A setting's value for an error message, unless it could be a secret pasted in the wrong
 * place (long, without spaces): then only its length is given.
 */
export function mention(value: string): string {
  const couldBeSecret = value.length >= 20 && !/\s/.test(value);
  return couldBeSecret ? `a value of ${value.length} characters (not repeated here, in case it is a secret)` : JSON.stringify(value);
}
