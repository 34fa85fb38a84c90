'use strict';

// A NACK never stalls a node. With an Envoy-like client on Envoy's canonical protos that rejects one
// cluster (as Envoy would an invalid one), in state of the world and in delta:
//   - a node in sync that rejects a new cluster still gets the later route changes, and wait_for_ack
//     answers (ABORTED, naming the standing rejection) instead of running out of time; deleting the
//     bad cluster brings the node back in sync;
//   - a fresh node that rejects one cluster of its first CDS response still gets the endpoints of the
//     others, its listener and its routes (with initial_fetch_timeout: 0s its listener would otherwise
//     warm forever).

const { describe, before, after, test } = require('node:test');
const assert = require('node:assert/strict');
const grpc = require('@grpc/grpc-js');
const { locateAlb, startAlb } = require('./lib/alb');
const { freePorts } = require('./lib/ports');
const { expectSuccess, errorInfo } = require('./lib/module-client');
const { EnvoyLikeClient, routeWeights } = require('./lib/envoy-like-client');
const { withAlbOutput } = require('./lib/report');
const { TYPE_URLS } = require('./lib/envoy-protos');
const { SUITE_TIMEOUT_MS } = require('./lib/wait');

const ROUTE = 'orders';

const located = locateAlb();
const skip = !located.exists && !located.required ? located.reason : false;

describe('a node that rejects one cluster keeps getting everything else', { skip, timeout: SUITE_TIMEOUT_MS }, () => {
  let alb;
  let ports;
  const run = (fn) => withAlbOutput(() => alb, fn);
  const endpoints = (...ps) => ps.map((port) => ({ address: '127.0.0.1', port, weight: 1 }));
  const weights = (blue, green) => [
    { backend_name: 'blue', weight: blue },
    { backend_name: 'green', weight: green },
  ];

  /** An Envoy-like node that rejects the cluster called `bad`. */
  const rejecting = (protocol, nodeId, bad) =>
    new EnvoyLikeClient({
      target: alb.xdsTarget,
      protocol,
      nodeId,
      reject: (typeUrl, name) => (typeUrl === TYPE_URLS.cluster && name === bad ? `cluster ${name}: rejected by this node` : null),
    }).start();

  /** Expects a mutation with wait_for_ack to end in ABORTED naming the node's rejection, not in DEADLINE_EXCEEDED. */
  const expectAborted = async (call, nodeId, what) => {
    const err = await call.then(
      (response) => assert.fail(`${what}: wait_for_ack succeeded although ${nodeId} rejects a cluster: ${JSON.stringify(response)}`),
      (e) => e,
    );
    assert.equal(err.code, grpc.status.ABORTED, `${what}: ${err.message}`);
    assert.ok(err.details.includes(`${nodeId}: `) && err.details.includes('rejected by this node'), `${what}: ${err.details}`);
    assert.equal(errorInfo(err).reason, 'NACKED');
  };

  before(async () => {
    ports = await freePorts(3);
    alb = await startAlb();
    await run(async () => {
      const c = alb.client;
      expectSuccess(await c.upsertCluster({ cluster: { name: 'blue', endpoints: endpoints(ports[0]), http2: true } }), 'UpsertCluster blue');
      expectSuccess(await c.upsertCluster({ cluster: { name: 'green', endpoints: endpoints(ports[1]), http2: true } }), 'UpsertCluster green');
      expectSuccess(
        await c.upsertRoute({ route: { name: ROUTE, prefix: '/', hosts: ['orders.test'], weights: weights(90, 10), enabled: true } }),
        'UpsertRoute orders',
      );
    });
  });

  after(async () => {
    if (alb) await alb.stop();
  });

  for (const protocol of ['sotw', 'delta']) {
    const label = protocol === 'sotw' ? 'state of the world' : 'delta';

    test(`${label}: a node in sync that rejects a new cluster still gets route changes, and wait_for_ack answers`, () =>
      run(async () => {
        expectSuccess(await alb.client.setTrafficWeight({ route_name: ROUTE, weights: weights(90, 10) }), 'SetTrafficWeight 90/10');
        const bad = `bad-${protocol}`;
        const rejecterId = `rejecter-${protocol}-${process.pid}`;
        const rejecter = rejecting(protocol, rejecterId, bad);
        const healthy = new EnvoyLikeClient({ target: alb.xdsTarget, protocol, nodeId: `healthy-${protocol}-${process.pid}` }).start();
        const hasWeights = (node, blue) => () => node.route(ROUTE) && routeWeights(node.route(ROUTE).route).blue === blue && node.problems().every((p) => p.includes('NACKed'));
        try {
          await rejecter.waitFor(hasWeights(rejecter, 90), 'the rejecting node to be in sync');
          await healthy.waitFor(hasWeights(healthy, 90), 'the healthy node to be in sync');

          await expectAborted(
            alb.client.upsertCluster({ cluster: { name: bad, endpoints: endpoints(ports[2]), http2: true }, wait_for_ack: true }),
            rejecterId,
            `UpsertCluster ${bad}`,
          );
          await rejecter.waitFor(() => rejecter.state(TYPE_URLS.cluster).lastNack, 'the NACK of the bad cluster');

          await expectAborted(
            alb.client.setTrafficWeight({ route_name: ROUTE, weights: weights(50, 50), wait_for_ack: true }),
            rejecterId,
            'SetTrafficWeight 50/50',
          );
          await rejecter.waitFor(hasWeights(rejecter, 50), 'the rejecting node to get the new weights');
          await healthy.waitFor(hasWeights(healthy, 50), 'the healthy node to get the new weights');
          assert.deepEqual(routeWeights(rejecter.route(ROUTE).route), { blue: 50, green: 50 });
          assert.equal(rejecter.cluster(bad), undefined, 'the rejecting node does not run the bad cluster');

          const fix = await alb.client.deleteCluster({ name: bad, wait_for_ack: true });
          expectSuccess(fix, `DeleteCluster ${bad}`);
          assert.deepEqual(fix.ack.nacks, [], JSON.stringify(fix.ack));
          assert.equal(fix.ack.pending_nodes, 0, JSON.stringify(fix.ack));
          assert.ok(fix.ack.acked_nodes >= 2, `both nodes hold the fix: ${JSON.stringify(fix.ack)}`);
        } finally {
          rejecter.close();
          healthy.close();
        }
      }));

    test(`${label}: a fresh node that rejects one cluster of its first response gets endpoints, listener and routes`, () =>
      run(async () => {
        const bad = `bad-fresh-${protocol}`;
        expectSuccess(
          await alb.client.upsertCluster({ cluster: { name: bad, endpoints: endpoints(ports[2]), http2: true }, wait_for_ack: true }),
          `UpsertCluster ${bad}`,
        );
        const fresh = rejecting(protocol, `fresh-${protocol}-${process.pid}`, bad);
        try {
          await fresh.waitFor(
            () => fresh.route(ROUTE) && fresh.loadAssignment('blue') && fresh.loadAssignment('green') && fresh.listeners().length > 0,
            'the fresh node to get the endpoints of the valid clusters, its listener and its route',
          );
          assert.ok(fresh.state(TYPE_URLS.cluster).lastNack, 'it did reject its first CDS response');
          assert.equal(fresh.cluster(bad), undefined);
          assert.ok(fresh.cluster('blue') && fresh.cluster('green'), 'it applied the valid clusters of the response it rejected');
        } finally {
          fresh.close();
        }

        expectSuccess(await alb.client.deleteCluster({ name: bad, wait_for_ack: true }), `DeleteCluster ${bad}`);
      }));
  }
});
