'use strict';

// Proxyless gRPC through the ALB, driven by gRPC's own xDS client (@grpc/grpc-js-xds 1.14.1).
//
// The ALB runs in control-plane-only mode. Three gRPC backends run on loopback: b1 and b2 form the
// cluster "blue", b3 the cluster "green". The route "echo" (host echo.test) is pushed through
// ModuleService, and an Echo client dials xds:///echo.test with a bootstrap on the ALB's ADS port.
// The tests run in order and share that set-up; each one first pushes the state it needs.

const { describe, before, after, test } = require('node:test');
const assert = require('node:assert/strict');
// Registers the xds: scheme with @grpc/grpc-js, as every proxyless gRPC client does.
require('@grpc/grpc-js-xds').register();
const { locateAlb, startAlb } = require('./lib/alb');
const { startBackends } = require('./lib/backends');
const { grpcBootstrap, useBootstrap } = require('./lib/bootstrap');
const { EchoClient } = require('./lib/echo-client');
const { expectSuccess } = require('./lib/module-client');
const { findNode, versionAtLeast, ackedAllTypes, pollStatus } = require('./lib/status');
const { withAlbOutput } = require('./lib/report');
const { TYPE_URLS } = require('./lib/envoy-protos');
const { STARTUP_TIMEOUT_MS, SUITE_TIMEOUT_MS } = require('./lib/wait');

const HOST = 'echo.test';
const ROUTE = 'echo';
const NODE_ID = `interop-proxyless-${process.pid}`;

const located = locateAlb();
const skip = !located.exists && !located.required ? located.reason : false;

describe('proxyless gRPC clients (@grpc/grpc-js-xds) get the routes pushed through ModuleService', { skip, timeout: SUITE_TIMEOUT_MS }, () => {
  let alb;
  let backends;
  let b1;
  let b2;
  let b3;
  let client;
  const run = (fn) => withAlbOutput(() => alb, fn);

  const cluster = (name, members, extra = {}) => ({
    name,
    endpoints: members.map((b) => ({ address: b.address, port: b.port, weight: 1 })),
    http2: true,
    ...extra,
  });

  /** Pushes a mutation with wait_for_ack and checks every connected node ACKed it. */
  const pushAndAck = async (method, request, what) => {
    const response = await alb.client[method]({ ...request, wait_for_ack: true });
    expectSuccess(response, what);
    assert.ok(response.ack, `${what}: the response carries no ack status`);
    assert.deepEqual(response.ack.nacks, [], `${what}: NACKed: ${response.ack.nacks}`);
    assert.equal(response.ack.pending_nodes, 0, `${what}: nodes still pending: ${JSON.stringify(response.ack)}`);
    return response;
  };

  before(async () => {
    backends = await startBackends(['b1', 'b2', 'b3', 'b4', 'b5']);
    [b1, b2, b3] = backends;
    alb = await startAlb();
    await run(async () => {
      expectSuccess(await alb.client.upsertCluster({ cluster: cluster('blue', [b1, b2]) }), 'UpsertCluster blue');
      expectSuccess(await alb.client.upsertCluster({ cluster: cluster('green', [b3]) }), 'UpsertCluster green');
      expectSuccess(
        await alb.client.upsertRoute({
          route: { name: ROUTE, prefix: '/', cluster_name: 'blue', hosts: [HOST], enabled: true },
        }),
        'UpsertRoute echo',
      );
      useBootstrap(grpcBootstrap({ xdsTarget: alb.xdsTarget, nodeId: NODE_ID }));
      client = new EchoClient(`xds:///${HOST}`);
      // The first call waits for xDS resolution (LDS, RDS, CDS, EDS) to complete.
      await client.whoAmI('warm-up', { waitForReady: true, deadlineMs: STARTUP_TIMEOUT_MS });
    });
  });

  after(async () => {
    if (client) client.close();
    if (alb) await alb.stop();
    if (backends) await Promise.all(backends.map((b) => b.stop()));
  });

  test('every RPC succeeds, round-robin over the route\'s cluster', () =>
    run(async () => {
      const tally = await client.run(300, { tag: 'all-succeed' });
      assert.equal(tally.succeeded, 300, `${tally}`);
      assert.equal(tally.count('b3'), 0, `green is not on the route: ${tally}`);
      assert.ok(tally.count('b1') > 0 && tally.count('b2') > 0, `both blue endpoints serve: ${tally}`);
    }));

  test('GetStatus lists the gRPC client under kind "grpc", connected, with all four types ACKed', () =>
    run(async () => {
      const node = await pollStatus(
        alb.client,
        (s) => {
          const n = findNode(s, NODE_ID);
          return ackedAllTypes(n) ? n : null;
        },
        `node ${NODE_ID} to have ACKed LDS, RDS, CDS and EDS`,
      );
      assert.equal(node.kind, 'grpc');
      assert.equal(node.connected, true);
      assert.equal(node.last_nack_error, '', `unexpected NACK: ${JSON.stringify(node)}`);
    }));

  test('weights 90/10 split at least 1000 calls within 5 points', (t) =>
    run(async () => {
      const response = await pushAndAck(
        'setTrafficWeight',
        {
          route_name: ROUTE,
          weights: [
            { backend_name: 'blue', weight: 90 },
            { backend_name: 'green', weight: 10 },
          ],
        },
        'SetTrafficWeight 90/10',
      );
      assert.ok(response.ack.acked_nodes >= 1, `the gRPC node counts in wait_for_ack: ${JSON.stringify(response.ack)}`);
      const tally = await client.run(1000, { tag: 'split', concurrency: 32 });
      t.diagnostic(`split: ${tally}`);
      assert.equal(tally.succeeded, 1000, `${tally}`);
      const green = tally.percent(['b3']);
      assert.ok(Math.abs(green - 10) <= 5, `green got ${green.toFixed(1)}% (want 10 +/- 5): ${tally}`);
      const blue = tally.percent(['b1', 'b2']);
      assert.ok(Math.abs(blue - 90) <= 5, `blue got ${blue.toFixed(1)}% (want 90 +/- 5): ${tally}`);
    }));

  test('after SetTrafficWeight 0/100 with wait_for_ack, every following call reaches the new backend', () =>
    run(async () => {
      const response = await pushAndAck(
        'setTrafficWeight',
        {
          route_name: ROUTE,
          weights: [
            { backend_name: 'blue', weight: 0 },
            { backend_name: 'green', weight: 100 },
          ],
        },
        'SetTrafficWeight 0/100',
      );
      assert.ok(response.ack.acked_nodes >= 1, `the gRPC node counts in wait_for_ack: ${JSON.stringify(response.ack)}`);
      // The ALB answers once the gRPC node ACKed. grpc-js-xds queues the ACK and notifies its
      // watchers on process.nextTick, so the new weights are in force before this process can
      // even read the ALB's reply: the very next call is already routed by them.
      const before = { b1: b1.served, b2: b2.served };
      const tally = await client.run(200, { tag: 'cutover', concurrency: 1 });
      assert.equal(tally.succeeded, 200, `${tally}`);
      assert.equal(tally.count('b3'), 200, `every call after the ACK reaches green: ${tally}`);
      assert.deepEqual({ b1: b1.served, b2: b2.served }, before, 'blue served nothing after the cut-over');
    }));

  test('after an endpoint is removed, calls stop reaching it', () =>
    run(async () => {
      await pushAndAck(
        'setTrafficWeight',
        {
          route_name: ROUTE,
          weights: [
            { backend_name: 'blue', weight: 100 },
            { backend_name: 'green', weight: 0 },
          ],
        },
        'SetTrafficWeight 100/0',
      );
      const both = await client.run(100, { tag: 'both-endpoints' });
      assert.ok(both.count('b1') > 0 && both.count('b2') > 0, `both blue endpoints serve first: ${both}`);

      const response = await pushAndAck('upsertCluster', { cluster: cluster('blue', [b1]) }, 'UpsertCluster blue without b2');
      assert.ok(response.ack.acked_nodes >= 1, `the gRPC node counts in wait_for_ack: ${JSON.stringify(response.ack)}`);
      const servedByB2 = b2.served;
      const tally = await client.run(200, { tag: 'after-removal', concurrency: 1 });
      assert.equal(tally.succeeded, 200, `${tally}`);
      assert.equal(tally.count('b1'), 200, `only b1 is left in blue: ${tally}`);
      assert.equal(b2.served, servedByB2, 'the removed endpoint served no call');
    }));

  test('a route with a local rate limit still serves gRPC clients (no Envoy-only config reaches them)', () =>
    run(async () => {
      const response = await alb.client.applyRateLimit({
        route_name: ROUTE,
        config: { requests_per_second: 1000, burst_size: 100, enabled: true },
        wait_for_ack: true,
      });
      expectSuccess(response, 'ApplyRateLimit');
      assert.deepEqual(response.ack.nacks, [], `NACKed: ${response.ack.nacks}`);
      assert.equal(response.ack.pending_nodes, 0, JSON.stringify(response.ack));
      assert.ok(response.ack.acked_nodes >= 1, `the gRPC node counts in wait_for_ack: ${JSON.stringify(response.ack)}`);
      const node = findNode(await alb.client.getStatus({}), NODE_ID);
      assert.equal(node.last_nack_error, '', `the gRPC client NACKed: ${node.last_nack_error}`);
      const tally = await client.run(100, { tag: 'rate-limited-route' });
      assert.equal(tally.succeeded, 100, `${tally}`);
    }));

  test('hostname endpoints are left out for gRPC clients, and nothing is NACKed', () =>
    run(async () => {
      await pushAndAck('upsertCluster', { cluster: cluster('blue', [b1, b2]) }, 'UpsertCluster blue with b1 and b2');
      // Now b2 is named by hostname only: the gRPC variant must leave it out.
      const withHostname = {
        name: 'blue',
        endpoints: [
          { address: b1.address, port: b1.port, weight: 1 },
          { address: 'localhost', port: b2.port, weight: 1 },
        ],
        http2: true,
      };
      const response = await pushAndAck('upsertCluster', { cluster: withHostname }, 'UpsertCluster blue with a hostname endpoint');
      assert.ok(response.ack.acked_nodes >= 1, JSON.stringify(response.ack));
      const node = findNode(await alb.client.getStatus({}), NODE_ID);
      assert.equal(node.last_nack_error, '', `the gRPC client NACKed: ${node.last_nack_error}`);
      assert.ok(versionAtLeast(node.acked_versions[TYPE_URLS.endpoint], response.version), JSON.stringify(node));
      const tally = await client.run(100, { tag: 'hostname-endpoint' });
      assert.equal(tally.succeeded, 100, `${tally}`);
      assert.equal(tally.count('b1'), 100, `the IP-literal endpoint serves every call: ${tally}`);
    }));

  // Blue/green as operators do it: the new side is a cluster the client has never been sent. The
  // gRPC client only asks for that cluster (CDS, then EDS) after it ACKed the route that names it,
  // and until the new cluster's endpoints reach it grpc-js keeps routing by the old config; so
  // wait_for_ack must not count the node as done on the route's ACK alone, only once it holds
  // (subscribed to and ACKed) everything the route refers to.
  test(
    'after SetTrafficWeight 0/100 to a cluster the client never used, with wait_for_ack, every following call reaches it',
    () =>
      run(async () => {
        const [, , , b4, b5] = backends;
        await pushAndAck('setTrafficWeight', { route_name: ROUTE, weights: [{ backend_name: 'blue', weight: 100 }] }, 'SetTrafficWeight blue 100');
        let from = 'blue';
        for (const [name, backend] of [
          ['teal', b4],
          ['cyan', b5],
        ]) {
          expectSuccess(await alb.client.upsertCluster({ cluster: cluster(name, [backend]) }), `UpsertCluster ${name}`);
          await pushAndAck(
            'setTrafficWeight',
            {
              route_name: ROUTE,
              weights: [
                { backend_name: from, weight: 0 },
                { backend_name: name, weight: 100 },
              ],
            },
            `SetTrafficWeight ${from} 0 / ${name} 100`,
          );
          const tally = await client.run(50, { tag: `to-${name}`, concurrency: 1 });
          assert.equal(tally.count(backend.id), 50, `every call after the ACK reaches ${name}: ${tally}`);
          from = name;
        }
      }),
  );
});
