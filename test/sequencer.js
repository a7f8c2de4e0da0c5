/**
 * Orders test files as jest does, except where jest has no record of their durations.
 *
 * Jest starts the files that took longest in the last run first, so that no worker is left
 * with a long file at the end. A fresh clone (and so every CI run) has no such record, and
 * jest falls back to file size. The suites that kill and rerun Pulumi programs are the
 * smallest files and among the longest suites: they started last, and the whole run waited
 * for them. A file whose opening comment says `@slow` starts before the files with no record
 * that do not.
 */
const { readFileSync } = require("node:fs");
const Sequencer = require("@jest/test-sequencer").default;

const SLOW = /@slow\b/;
const OPENING_COMMENT = /^\s*\/\*\*[\s\S]*?\*\//;

function declaredSlow(path) {
  const opening = OPENING_COMMENT.exec(readFileSync(path, "utf8"));
  return opening !== null && SLOW.test(opening[0]);
}

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const unrecorded = sorted.filter((test) => test.duration == null && !this.hasFailed(test));
    const slow = new Set(unrecorded.filter((test) => declaredSlow(test.path)));
    if (slow.size === 0) return sorted;
    // Jest puts failed files first, then those with no record, then the rest by duration.
    const at = sorted.findIndex((test) => unrecorded.includes(test));
    const rest = sorted.filter((test) => !slow.has(test));
    rest.splice(at, 0, ...sorted.filter((test) => slow.has(test)));
    return rest;
  }
}

module.exports = SlowFirstSequencer;
