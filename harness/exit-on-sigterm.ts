// Preloaded into provider hosts while coverage is collected: SIGTERM ends the process
// normally, so that Node writes its coverage (see child-coverage.ts).
process.on("SIGTERM", () => process.exit(0));
export {};
