/** @type {import("jest").Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", isolatedModules: true }] },
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
  testTimeout: 30000,
  maxWorkers: 4,
};
