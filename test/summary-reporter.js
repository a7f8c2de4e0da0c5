/**
 * Closes a jest run with one plain line, "Summary: N passed, N failed, N skipped", that
 * tools reading test output (CI among them) recognise in any language, and a line for each
 * reason tests did not run ("[not run: ...]" in their name).
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    process.stdout.write(
      `Summary: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`,
    );
    const reasons = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status !== "pending") continue;
        const reason = /\[not run: ([^\]]+)\]/.exec(test.fullName)?.[1] ?? "skipped";
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
    for (const [reason, count] of reasons) process.stdout.write(`Not run: ${count} tests (${reason})\n`);
  }
}
module.exports = SummaryReporter;
