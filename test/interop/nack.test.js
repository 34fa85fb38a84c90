'use strict';

// The NACK path, with gRPC's own xDS client rejecting a change.
//
// The ALB leaves out everything proxyless gRPC cannot take (hostname endpoints, local rate limits,
// retry policies, upstream TLS, wildcard hosts; see GrpcTranslator), so a correct ALB gives an
// up-to-date grpc-js-xds nothing to reject. What it cannot know is a client's feature set: a gRPC
// client without ring-hash support (older releases, or grpc-js-xds with its documented switch
// GRPC_XDS_EXPERIMENTAL_ENABLE_RING_HASH=false) rejects a RING_HASH cluster. This file runs such a
// client: switching the cluster to RING_HASH is the change gRPC rejects, and switching it back is
// the fix.
//
// It checks that the rejection shows up in wait_for_ack and GetStatus with gRPC's error text, that
// the ALB does not resend the NACKed version (counted twice: from the real client's own trace, and
// by a raw probe that validates with grpc-js-xds's code and logs every response), and that the fix
// recovers.

// Both must be set before grpc-js and grpc-js-xds are loaded: they read them once.
process.env.GRPC_XDS_EXPERIMENTAL_ENABLE_RING_HASH = 'false';
require('./lib/xds-trace').enableXdsClientTrace();

const { describe, before, after, test } = require('node:test');
const assert = require('node:assert/strict');
// Registers the xds: scheme with @grpc/grpc-js, as every proxyless gRPC client does.
require('@grpc/grpc-js-xds').register();
const grpc = require('@grpc/grpc-js');
const { captureXdsRequests, nacksOf } = require('./lib/xds-trace');
const { locateAlb, startAlb } = require('./lib/alb');
const { startBackends } = require('./lib/backends');
const { grpcBootstrap, useBootstrap } = require('./lib/bootstrap');
const { EchoClient } = require('./lib/echo-client');
const { GrpcLikeProbe } = require('./lib/grpc-like-probe');
const { expectSuccess, errorInfo } = require('./lib/module-client');
const { findNode, versionAtLeast, ackedAllTypes, pollStatus } = require('./lib/status');
const { withAlbOutput } = require('./lib/report');
const { TYPE_URLS } = require('./lib/envoy-protos');
const { STARTUP_TIMEOUT_MS, SUITE_TIMEOUT_MS } = require('./lib/wait');

const HOST = 'nack.test';
const CLUSTER = 'ring';
const NODE_ID = `interop-nack-${process.pid}`;
const PROBE_ID = `interop-nack-probe-${process.pid}`;
// What grpc-js-xds 1.14.1 says about a RING_HASH cluster with ring hash turned off.
const GRPC_REJECT_TEXT = 'unsupported lb_policy: RING_HASH';

const located = locateAlb();
const skip = !located.exists && !located.required ? located.reason : false;

describe('a change gRPC rejects is NACKed, reported, not resent, and a fix recovers', { skip, timeout: SUITE_TIMEOUT_MS }, () => {
  const trace = captureXdsRequests();
  let alb;
  let backends;
  let client;
  let probe;
  const run = (fn) => withAlbOutput(() => alb, fn);

  const cluster = (lbPolicy) => ({
    name: CLUSTER,
    endpoints: backends.map((b) => ({ address: b.address, port: b.port, weight: 1 })),
    lb_policy: lbPolicy,
    http2: true,
  });

  before(async () => {
    backends = await startBackends(['r1', 'r2']);
    alb = await startAlb();
    await run(async () => {
      expectSuccess(await alb.client.upsertCluster({ cluster: cluster('ROUND_ROBIN') }), 'UpsertCluster ring');
      expectSuccess(
        await alb.client.upsertRoute({
          route: { name: 'nack', prefix: '/', cluster_name: CLUSTER, hosts: [HOST], enabled: true },
        }),
        'UpsertRoute nack',
      );
      useBootstrap(grpcBootstrap({ xdsTarget: alb.xdsTarget, nodeId: NODE_ID }));
      client = new EchoClient(`xds:///${HOST}`);
      await client.whoAmI('warm-up', { waitForReady: true, deadlineMs: STARTUP_TIMEOUT_MS });
      probe = new GrpcLikeProbe({ target: alb.xdsTarget, host: HOST, nodeId: PROBE_ID }).start();
      await probe.waitFor(() => probe.resources(TYPE_URLS.endpoint).has(CLUSTER), 'the probe to receive the ring endpoints');
      await pollStatus(
        alb.client,
        (s) => ackedAllTypes(findNode(s, NODE_ID)) && ackedAllTypes(findNode(s, PROBE_ID)),
        'the client and the probe to ACK every type',
      );
    });
  });

  after(async () => {
    if (probe) probe.close();
    if (client) client.close();
    if (alb) await alb.stop();
    if (backends) await Promise.all(backends.map((b) => b.stop()));
  });

  test('the rejected change shows up in wait_for_ack and GetStatus with gRPC\'s error text; the fix recovers', () =>
    run(async () => {
      const baseline = await client.run(50, { tag: 'before' });
      assert.equal(baseline.succeeded, 50, `${baseline}`);
      const clientNacksBefore = nacksOf(trace.requests, TYPE_URLS.cluster).length;
      assert.equal(clientNacksBefore, 0, 'the client has NACKed nothing yet');
      const probeCdsBefore = probe.responsesFor(TYPE_URLS.cluster).length;

      // The change gRPC rejects. With wait_for_ack the ALB answers ABORTED as soon as a node NACKs,
      // naming each node with the error text it sent, and an ErrorInfo with the rejected version.
      const rejected = await alb.client.upsertCluster({ cluster: cluster('RING_HASH'), wait_for_ack: true }).then(
        (response) => assert.fail(`wait_for_ack succeeded although gRPC rejects RING_HASH: ${JSON.stringify(response)}`),
        (err) => err,
      );
      assert.equal(rejected.code, grpc.status.ABORTED, `${rejected.message}`);
      assert.match(rejected.details, new RegExp(GRPC_REJECT_TEXT), 'the status carries gRPC\'s error text');
      assert.ok(rejected.details.includes(NODE_ID) || rejected.details.includes(PROBE_ID), `the status names the node: ${rejected.details}`);
      const info = errorInfo(rejected);
      assert.ok(info, 'the status carries a google.rpc.ErrorInfo');
      assert.equal(info.reason, 'NACKED');
      const bad = { version: info.metadata.version };
      assert.match(bad.version, /^\d+$/, `ErrorInfo.metadata.version: ${JSON.stringify(info)}`);

      // GetStatus shows the real client's NACK, with the error text grpc-js-xds wrote.
      const nacked = await pollStatus(
        alb.client,
        (s) => {
          const n = findNode(s, NODE_ID);
          return n && n.last_nack_type === TYPE_URLS.cluster && n.last_nack_error.includes(GRPC_REJECT_TEXT) ? n : null;
        },
        `GetStatus to show the NACK of ${NODE_ID}`,
      );
      assert.equal(nacked.kind, 'grpc');
      assert.match(nacked.last_nack_error, /Cluster message validation failed/);
      assert.equal(nacked.last_nack_version, String(bad.version), 'the NACK names the rejected version');
      assert.ok(!versionAtLeast(nacked.acked_versions[TYPE_URLS.cluster], bad.version), 'the rejected CDS version is not counted as ACKed');
      const probeNode = findNode(await alb.client.getStatus({}), PROBE_ID);
      assert.equal(probeNode.last_nack_type, TYPE_URLS.cluster, `the probe's NACK is recorded too: ${JSON.stringify(probeNode)}`);

      // The client keeps its last good config: calls still succeed.
      const during = await client.run(50, { tag: 'while-nacked' });
      assert.equal(during.succeeded, 50, `${during}`);

      // The fix.
      const fix = await alb.client.upsertCluster({ cluster: cluster('ROUND_ROBIN'), wait_for_ack: true });
      expectSuccess(fix, 'UpsertCluster ring back to ROUND_ROBIN');
      assert.deepEqual(fix.ack.nacks, [], `the fix is not NACKed: ${JSON.stringify(fix.ack)}`);
      assert.equal(fix.ack.pending_nodes, 0, JSON.stringify(fix.ack));
      assert.ok(fix.ack.acked_nodes >= 2, `the client and the probe ACK the fix: ${JSON.stringify(fix.ack)}`);
      const recovered = findNode(await alb.client.getStatus({}), NODE_ID);
      assert.ok(
        versionAtLeast(recovered.acked_versions[TYPE_URLS.cluster], fix.version),
        `the client ACKed CDS at the fix's version ${fix.version}: ${JSON.stringify(recovered)}`,
      );
      const after = await client.run(100, { tag: 'after-fix' });
      assert.equal(after.succeeded, 100, `${after}`);

      // Not resent: the rejected version reached each gRPC node once. (A server that resends on NACK
      // does it while handling the NACK, so the resend would be on the stream before the fix.) The
      // fix restores exactly what the nodes kept when they rejected the change, so there is nothing
      // to send them: the probe got the one rejected response, still runs the ROUND_ROBIN cluster,
      // and the ledger counts it at the fix's version.
      const clientNacks = nacksOf(trace.requests, TYPE_URLS.cluster);
      assert.equal(clientNacks.length, 1, `the real client got the rejected CDS response once: ${JSON.stringify(clientNacks)}`);
      assert.match(clientNacks[0].error_detail.message, new RegExp(GRPC_REJECT_TEXT));
      const probeCds = probe.responsesFor(TYPE_URLS.cluster).slice(probeCdsBefore);
      assert.deepEqual(
        probeCds.map((r) => ({ version: r.version, rejected: r.errors.length > 0 })),
        [{ version: String(bad.version), rejected: true }],
        'the probe got exactly one CDS response for the rejected version, and nothing it already runs',
      );
      // ROUND_ROBIN is lb_policy's default (0), which the decoder leaves out.
      assert.equal(probe.resources(TYPE_URLS.cluster).get(CLUSTER).value.lb_policy ?? 'ROUND_ROBIN', 'ROUND_ROBIN', 'the probe runs the fixed cluster');
      const probeNow = findNode(await alb.client.getStatus({}), PROBE_ID);
      assert.ok(versionAtLeast(probeNow.acked_versions[TYPE_URLS.cluster], fix.version), `the probe holds the fix: ${JSON.stringify(probeNow)}`);
    }));
});
