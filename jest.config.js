/** @type {import("jest").Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json", isolatedModules: true }] },
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
  testTimeout: 30000,
  maxWorkers: 4,
  // Reaches Tencent: run only by `npm run test:live`.
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/acceptance/live.test.ts"],
  // With --coverage (npm test): V8 coverage of what tests run in-process, merged with the
  // children's by test/coverage-report.ts.
  coverageProvider: "v8",
  collectCoverageFrom: ["chat-api/**/*.ts", "provider/**/*.ts", "emulator/**/*.ts"],
  coverageDirectory: "coverage/in-process",
  coverageReporters: ["json"],
};
