'use strict';

// Reading the ALB's GetStatus: the xDS nodes it sees, what they ACKed and NACKed.

const { EVENT_TIMEOUT_MS, DeadlineError } = require('./wait');
const { TYPE_URLS } = require('./envoy-protos');

/** The XdsNodeStatus for a node id, or undefined. */
function findNode(status, nodeId) {
  return (status.xds_nodes || []).find((n) => n.node_id === nodeId);
}

/** True when an ACKed version string is a number at least `version` (a config version). */
function versionAtLeast(acked, version) {
  if (acked === undefined || acked === null || !/^\d+$/.test(String(acked))) return false;
  return BigInt(acked) >= BigInt(version);
}

/** True when the node has ACKed some version of every one of the four types. */
function ackedAllTypes(node, types = Object.values(TYPE_URLS)) {
  return Boolean(node) && types.every((t) => Boolean(node.acked_versions[t]));
}

/**
 * Calls GetStatus until `check(status)` returns a truthy value, and resolves with that value.
 * The ALB has no push channel for its status, so this polls, at a short interval, up to a deadline.
 */
async function pollStatus(client, check, what, timeoutMs = EVENT_TIMEOUT_MS, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await client.getStatus({});
    const value = check(last);
    if (value) return value;
    if (Date.now() >= deadline) {
      const err = new DeadlineError(what, timeoutMs);
      err.message += `; last status: ${JSON.stringify(last.xds_nodes)}`;
      throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

module.exports = { findNode, versionAtLeast, ackedAllTypes, pollStatus };
