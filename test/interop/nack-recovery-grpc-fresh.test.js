'use strict';

// A NACK never stalls a fresh node, with gRPC's own xDS client (@grpc/grpc-js-xds, state of the
// world). The route already names a RING_HASH cluster at weight 0 when a client without ring-hash
// support (GRPC_XDS_EXPERIMENTAL_ENABLE_RING_HASH=false) connects: it rejects that cluster in its
// first CDS response, yet it must get the listener, the route and the other cluster's endpoints and
// serve, and a later route change must reach it.

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
const NODE_ID = `interop-recovery-fresh-${process.pid}`;

const located = locateAlb();
const skip = !located.exists && !located.required ? located.reason : false;

describe('a fresh gRPC client that rejects a cluster of its first CDS response still serves', { skip, timeout: SUITE_TIMEOUT_MS }, () => {
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
        await alb.client.upsertRoute({
          route: {
            name: ROUTE,
            prefix: '/',
            hosts: [HOST],
            weights: [
              { backend_name: 'blue', weight: 100 },
              { backend_name: 'ring', weight: 0 },
            ],
            enabled: true,
          },
        }),
        'UpsertRoute recovery',
      );
    });
  });

  after(async () => {
    if (client) client.close();
    if (alb) await alb.stop();
    if (backends) await Promise.all(backends.map((b) => b.stop()));
  });

  test('it rejects the ring cluster, serves through blue, and gets the next route change', () =>
    run(async () => {
      useBootstrap(grpcBootstrap({ xdsTarget: alb.xdsTarget, nodeId: NODE_ID }));
      client = new EchoClient(`xds:///${HOST}`);
      await client.whoAmI('warm-up', { waitForReady: true, deadlineMs: STARTUP_TIMEOUT_MS });
      const first = await client.run(30, { tag: 'blue' });
      assert.equal(first.count('g1'), 30, `${first}`);
      const nacks = nacksOf(trace.requests, TYPE_URLS.cluster);
      assert.ok(nacks.length >= 1, 'the client NACKed the CDS response with the ring cluster');
      assert.match(nacks[0].error_detail.message, new RegExp(GRPC_REJECT_TEXT));

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
      await pollStatus(
        alb.client,
        (s) => versionAtLeast(findNode(s, NODE_ID)?.acked_versions[TYPE_URLS.route], movedVersion),
        `${NODE_ID} to ACK the routes of version ${movedVersion}`,
      );
      const after = await client.run(30, { tag: 'green' });
      assert.equal(after.count('g2'), 30, `every call reaches green: ${after}`);
    }));
});
