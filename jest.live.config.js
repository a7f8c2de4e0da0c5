/** `npm run test:live`: the acceptance scenarios against a real Tencent Chat app (test/acceptance/live.test.ts). */
const base = require("./jest.config");

/** @type {import("jest").Config} */
module.exports = {
  ...base,
  testMatch: ["<rootDir>/test/acceptance/live.test.ts"],
  testPathIgnorePatterns: [],
  maxWorkers: 1,
  testTimeout: 120000,
};
