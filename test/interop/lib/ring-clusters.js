'use strict';

// The clusters of the NACK-recovery scenarios with gRPC's own xDS client: 'blue' and 'green' are
// ROUND_ROBIN, 'ring' is RING_HASH, which a grpc-js-xds client started with
// GRPC_XDS_EXPERIMENTAL_ENABLE_RING_HASH=false rejects.

const { startBackends } = require('./backends');
const { expectSuccess } = require('./module-client');

// What grpc-js-xds 1.14.1 says about a RING_HASH cluster with ring hash turned off.
const GRPC_REJECT_TEXT = 'unsupported lb_policy: RING_HASH';

const cluster = (name, backend, lbPolicy) => ({
  name,
  endpoints: [{ address: backend.address, port: backend.port, weight: 1 }],
  lb_policy: lbPolicy,
  http2: true,
});

/** Starts backends g1, g2 and g3 and upserts blue (g1), green (g2) and ring (g3, RING_HASH); returns the backends. */
async function upsertRingClusters(alb) {
  const backends = await startBackends(['g1', 'g2', 'g3']);
  const [g1, g2, g3] = backends;
  expectSuccess(await alb.client.upsertCluster({ cluster: cluster('blue', g1, 'ROUND_ROBIN') }), 'UpsertCluster blue');
  expectSuccess(await alb.client.upsertCluster({ cluster: cluster('green', g2, 'ROUND_ROBIN') }), 'UpsertCluster green');
  expectSuccess(await alb.client.upsertCluster({ cluster: cluster('ring', g3, 'RING_HASH') }), 'UpsertCluster ring');
  return backends;
}

module.exports = { GRPC_REJECT_TEXT, upsertRingClusters };
