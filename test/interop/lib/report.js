'use strict';

// Failure reports: a failing test's error gets the tail of the ALB's output appended, so CI logs
// show what the control plane was doing.

const OUTPUT_TAIL_CHARS = 16 * 1024;

/** Runs `fn`; if it throws, appends the ALB's recent output to the error and rethrows. */
async function withAlbOutput(getAlb, fn) {
  try {
    return await fn();
  } catch (err) {
    const alb = getAlb();
    if (alb && !err.albOutputAttached) {
      const out = alb.output();
      const tail = out.length > OUTPUT_TAIL_CHARS ? `...${out.slice(-OUTPUT_TAIL_CHARS)}` : out;
      const note = `\n--- ALB output (last ${OUTPUT_TAIL_CHARS} chars) ---\n${tail}`;
      if (err instanceof Error) {
        err.message += note;
        err.albOutputAttached = true;
      }
    }
    throw err;
  }
}

module.exports = { withAlbOutput };
