/**
 * Account IDs (UserID) as the Chat REST API takes them: at most 32 bytes (account_import, doc
 * 34953). Tencent's pages *recommend* letters, digits, "_" and "-" ("建议只包含大小写英文字母、数字、
 * 下划线和连词符"), without saying what else the service takes; IDs made by client SDK logins
 * such as `alice.b` or `ops@team` exist in apps. Which of the two an app enforces is switchable
 * in the emulator and probed by `npm run test:probe`.
 */

export const ACCOUNT_ID_MAX_BYTES = 32;

/** The characters Tencent recommends. */
export const RECOMMENDED_ACCOUNT_ID = /^[A-Za-z0-9_-]+$/;

/** The recommended characters and "." and "@", which the provider accepts. */
export const EXTENDED_ACCOUNT_ID = /^[A-Za-z0-9_.@-]+$/;

/** An ID that holds a character beyond the recommended ones. */
export const beyondRecommended = (userId: string): boolean =>
  EXTENDED_ACCOUNT_ID.test(userId) && !RECOMMENDED_ACCOUNT_ID.test(userId);
