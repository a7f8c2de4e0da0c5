/** @type {import("jest").Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  // Transpile only: tsconfig.json sets isolatedModules, and `npm run check` type-checks everything first.
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
  // Long suites first even on a fresh clone, where jest has no durations to order by.
  testSequencer: "<rootDir>/test/sequencer.js",
  // Generous: the suite starts processes, and a shared machine can be several times slower than a quiet one.
  testTimeout: 120_000,
  maxWorkers: 4,
  // Reaches Tencent: run only by `npm run test:live`.
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/acceptance/live.test.ts"],
  // With --coverage (npm test): istanbul counters in what tests run in-process, merged with the
  // children's V8 coverage by test/coverage-report.ts. jest's V8 provider takes every script's
  // coverage at the end of each test file (Pulumi's SDK and gRPC included): 12 s more a run.
  coverageProvider: "babel",
  collectCoverageFrom: ["chat-api/**/*.ts", "provider/**/*.ts", "emulator/**/*.ts"],
  coverageDirectory: "coverage/in-process",
  coverageReporters: ["json"],
};
