'use strict';

// A NACK never stalls a node, with gRPC's own xDS client (@grpc/grpc-js-xds, state of the world).
// A client without ring-hash support (GRPC_XDS_EXPERIMENTAL_ENABLE_RING_HASH=false, as in
// nack.test.js) gets a route that names a new RING_HASH cluster at weight 0: it asks for that
// cluster, rejects it, and never asks for its endpoints. The next route change (all traffic to
// green) must still reach it, wait_for_ack must answer instead of running out of time, and once the
// rejected cluster is no longer named the next change must be ACKed with nothing pending.

// Both must be set before grpc-js and grpc-js-xds are loaded: they read them once.
process.env.GRPC_XDS_EXPERIMENTAL_ENABLE_RING_HASH = 'false';
require('./lib/xds-trace').enableXdsClientTrace();

const { describe, before, after, test } = require('node:test');
const assert = require('node:assert/strict');
require('@grpc/grpc-js-xds').register();
const grpc = require('@grpc/grpc-js');
const { captureXdsRequests, nacksOf } = require('./lib/xds-trace');
const { locateAlb, startAlb } = require('./lib/alb');
const { GRPC_REJECT_TEXT, upsertRingClusters } = require('./lib/ring-clusters');
const { grpcBootstrap, useBootstrap } = require('./lib/bootstrap');
const { EchoClient } = require('./lib/echo-client');
const { expectSuccess, errorInfo } = require('./lib/module-client');
const { findNode, pollStatus, versionAtLeast } = require('./lib/status');
const { withAlbOutput } = require('./lib/report');
const { TYPE_URLS } = require('./lib/envoy-protos');
const { STARTUP_TIMEOUT_MS, SUITE_TIMEOUT_MS } = require('./lib/wait');

const HOST = 'recovery.test';
const ROUTE = 'recovery';
const NODE_ID = `interop-recovery-${process.pid}`;

const located = locateAlb();
const skip = !located.exists && !located.required ? located.reason : false;

describe('a gRPC client that rejects a cluster still gets later route changes', { skip, timeout: SUITE_TIMEOUT_MS }, () => {
  const trace = captureXdsRequests();
  let alb;
  let backends;
  let client;
  const run = (fn) => withAlbOutput(() => alb, fn);

  before(async () => {
    alb = await startAlb();
    await run(async () => {
      backends = await upsertRingClusters(alb);
      expectSuccess(
        await alb.client.upsertRoute({ route: { name: ROUTE, prefix: '/', cluster_name: 'blue', hosts: [HOST], enabled: true } }),
        'UpsertRoute recovery',
      );
      useBootstrap(grpcBootstrap({ xdsTarget: alb.xdsTarget, nodeId: NODE_ID }));
      client = new EchoClient(`xds:///${HOST}`);
      await client.whoAmI('warm-up', { waitForReady: true, deadlineMs: STARTUP_TIMEOUT_MS });
    });
  });

  after(async () => {
    if (client) client.close();
    if (alb) await alb.stop();
    if (backends) await Promise.all(backends.map((b) => b.stop()));
  });

  test('the route change after a rejected cluster arrives, and wait_for_ack answers, then succeeds once nothing names it', () =>
    run(async () => {
      const before = await client.run(30, { tag: 'blue' });
      assert.equal(before.count('g1'), 30, `${before}`);

      // The route names the RING_HASH cluster at weight 0: the client asks for it and rejects it.
      const named = await alb.client.setTrafficWeight({
        route_name: ROUTE,
        weights: [
          { backend_name: 'blue', weight: 100 },
          { backend_name: 'ring', weight: 0 },
        ],
        wait_for_ack: true,
      }).then(
        (response) => assert.fail(`wait_for_ack succeeded although gRPC rejects RING_HASH: ${JSON.stringify(response)}`),
        (err) => err,
      );
      assert.equal(named.code, grpc.status.ABORTED, named.message);
      assert.match(named.details, new RegExp(GRPC_REJECT_TEXT));
      assert.ok(nacksOf(trace.requests, TYPE_URLS.cluster).length >= 1, 'the client NACKed the CDS response with the ring cluster');
      const during = await client.run(30, { tag: 'still-blue' });
      assert.equal(during.count('g1'), 30, `the client keeps routing to blue: ${during}`);

      // The next change moves all traffic to green; it must reach the client that rejected "ring".
      // wait_for_ack answers: success, or ABORTED if the client rejected ring once more on its way
      // (gRPC asks for green before it drops ring), never DEADLINE_EXCEEDED.
      const moved = await alb.client
        .setTrafficWeight({
          route_name: ROUTE,
          weights: [
            { backend_name: 'blue', weight: 0 },
            { backend_name: 'green', weight: 100 },
          ],
          wait_for_ack: true,
        })
        .then(
          (response) => response,
          (err) => err,
        );
      let movedVersion;
      if (moved instanceof Error) {
        assert.equal(moved.code, grpc.status.ABORTED, `wait_for_ack answers, not DEADLINE_EXCEEDED: ${moved.message}`);
        assert.match(moved.details, new RegExp(GRPC_REJECT_TEXT));
        movedVersion = errorInfo(moved).metadata.version;
      } else {
        expectSuccess(moved, 'SetTrafficWeight green 100');
        movedVersion = moved.version;
      }
      // An ABORTED answer can come (with the CDS NACK) before the client has read the new routes.
      await pollStatus(
        alb.client,
        (s) => versionAtLeast(findNode(s, NODE_ID)?.acked_versions[TYPE_URLS.route], movedVersion),
        `${NODE_ID} to ACK the routes of version ${movedVersion}`,
      );
      const after = await client.run(30, { tag: 'green' });
      assert.equal(after.count('g2'), 30, `every call reaches green: ${after}`);

      // Nothing names ring any more: the next change is ACKed by the client, with nothing pending.
      const settled = await alb.client.setTrafficWeight({
        route_name: ROUTE,
        weights: [
          { backend_name: 'blue', weight: 50 },
          { backend_name: 'green', weight: 50 },
        ],
        wait_for_ack: true,
      });
      expectSuccess(settled, 'SetTrafficWeight 50/50');
      assert.deepEqual(settled.ack.nacks, [], JSON.stringify(settled.ack));
      assert.equal(settled.ack.pending_nodes, 0, JSON.stringify(settled.ack));
      const split = await client.run(60, { tag: 'split' });
      assert.ok(split.count('g1') > 0 && split.count('g2') > 0, `both clusters serve: ${split}`);
    }));
});
