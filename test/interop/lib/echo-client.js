'use strict';

// A client of the interop.Echo service, usually on an `xds:///<host>` target so that
// @grpc/grpc-js-xds resolves it through the ALB, and helpers to run batches of calls and tally
// which backend served each one.

const grpc = require('@grpc/grpc-js');
const { loadEcho } = require('./backends');

const CALL_DEADLINE_MS = 10_000;

class EchoClient {
  constructor(target, options = {}) {
    const { Echo } = loadEcho();
    this.target = target;
    this.raw = new Echo(target, grpc.credentials.createInsecure(), options);
  }

  /** One WhoAmI call. With waitForReady it waits (up to the deadline) for the channel to resolve. */
  whoAmI(tag = '', { deadlineMs = CALL_DEADLINE_MS, waitForReady = false } = {}) {
    return new Promise((resolve, reject) => {
      this.raw.WhoAmI({ tag }, { deadline: Date.now() + deadlineMs, waitForReady }, (err, reply) =>
        err ? reject(err) : resolve(reply),
      );
    });
  }

  /**
   * Runs `count` calls, at most `concurrency` at a time, and tallies them. Never throws for a
   * failed call: failures are counted and the first few kept.
   * @returns {Promise<Tally>}
   */
  async run(count, { concurrency = 16, tag = 'batch', deadlineMs = CALL_DEADLINE_MS, waitForReady = false } = {}) {
    const tally = new Tally();
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const index = next++;
        try {
          const reply = await this.whoAmI(`${tag}-${index}`, { deadlineMs, waitForReady });
          tally.ok(index, reply.backend_id);
        } catch (err) {
          tally.fail(index, err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
    return tally;
  }

  close() {
    this.raw.close();
  }
}

class Tally {
  constructor() {
    this.total = 0;
    this.succeeded = 0;
    /** Calls per backend id. */
    this.byBackend = {};
    /** The backend id of each call, by call index (undefined for a failed call). */
    this.sequence = [];
    this.failures = 0;
    this.firstErrors = [];
  }

  ok(index, backendId) {
    this.total++;
    this.succeeded++;
    this.byBackend[backendId] = (this.byBackend[backendId] || 0) + 1;
    this.sequence[index] = backendId;
  }

  fail(index, err) {
    this.total++;
    this.failures++;
    if (this.firstErrors.length < 5) this.firstErrors.push(`${err.code} ${err.details || err.message}`);
  }

  count(backendId) {
    return this.byBackend[backendId] || 0;
  }

  /** Share of the successful calls that went to the given backends, in percent. */
  percent(backendIds) {
    if (this.succeeded === 0) return 0;
    const hits = backendIds.reduce((sum, id) => sum + this.count(id), 0);
    return (100 * hits) / this.succeeded;
  }

  toString() {
    const errors = this.firstErrors.length ? `; first errors: ${this.firstErrors.join(' | ')}` : '';
    return `${this.succeeded}/${this.total} ok, by backend ${JSON.stringify(this.byBackend)}${errors}`;
  }
}

module.exports = { EchoClient, Tally };
