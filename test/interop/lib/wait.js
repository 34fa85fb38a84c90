'use strict';

// Waiting helpers. The suite never sleeps for a fixed time: every wait is for an event (a
// promise), bounded by a deadline that fails with a message saying what did not happen.

/** Start-up of a process on a busy 2-core machine. */
const STARTUP_TIMEOUT_MS = 30_000;
/** One control-plane round trip (push, ACK, state change) on a busy machine. */
const EVENT_TIMEOUT_MS = 15_000;
/** A whole test file, so a hang fails the suite instead of stalling CI. */
const SUITE_TIMEOUT_MS = 150_000;

class DeadlineError extends Error {
  constructor(what, ms) {
    super(`timed out after ${ms} ms waiting for ${what}`);
    this.name = 'DeadlineError';
  }
}

/** Resolves or rejects like `promise`, or rejects with a DeadlineError after `ms`. */
function withDeadline(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A promise with its resolve/reject exposed. */
function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Waits until `check()` returns a truthy value, re-checking each time `emitter` emits `event`.
 * Rejects with a DeadlineError after `ms`, or at once if the emitter emits 'error' or `failOn`.
 * Resolves with check()'s value.
 */
function waitForEvent(emitter, event, check, ms, what, failOn = []) {
  const initial = check();
  if (initial) return Promise.resolve(initial);
  const d = deferred();
  const onEvent = () => {
    try {
      const value = check();
      if (value) d.resolve(value);
    } catch (err) {
      d.reject(err);
    }
  };
  const onFail = (err) => d.reject(err instanceof Error ? err : new Error(String(err)));
  emitter.on(event, onEvent);
  for (const name of failOn) emitter.on(name, onFail);
  return withDeadline(d.promise, ms, what).finally(() => {
    emitter.off(event, onEvent);
    for (const name of failOn) emitter.off(name, onFail);
  });
}

module.exports = {
  STARTUP_TIMEOUT_MS,
  EVENT_TIMEOUT_MS,
  SUITE_TIMEOUT_MS,
  DeadlineError,
  withDeadline,
  deferred,
  waitForEvent,
};
