/**
 * The service's frequency limits, per SDKAppID and command: 200 calls a second, lower for a
 * few commands (account_check, https://www.tencentcloud.com/document/product/1047/34956;
 * multiaccount_import, .../34954; account_delete, .../34955; get_appid_group_list, .../34960).
 */
export const DEFAULT_RATE_LIMIT = 200;

/** Commands whose limit differs from DEFAULT_RATE_LIMIT, in calls per second. */
export const DEFAULT_COMMAND_RATE_LIMITS: Readonly<Record<string, number>> = {
  get_appid_group_list: 1,
  account_check: 100,
  multiaccount_import: 100,
  account_delete: 100,
};
