'use strict';

// Canonical decode: an Envoy-like ADS client reads everything the ALB serves to Envoy with Envoy's
// own canonical protos (from @grpc/grpc-js-xds's vendored envoy-api), follows every reference,
// and ACKs, in state of the world and in delta, with both wildcard spellings.

const { describe, before, after, test } = require('node:test');
const assert = require('node:assert/strict');
const { locateAlb, startAlb } = require('./lib/alb');
const { freePorts } = require('./lib/ports');
const { expectSuccess } = require('./lib/module-client');
const {
  EnvoyLikeClient,
  httpConnectionManagers,
  routeWeights,
  endpointAddresses,
  edsName,
} = require('./lib/envoy-like-client');
const { findNode, ackedAllTypes, pollStatus } = require('./lib/status');
const { withAlbOutput } = require('./lib/report');
const { TYPE_URLS, durationMs } = require('./lib/envoy-protos');
const { SUITE_TIMEOUT_MS } = require('./lib/wait');

const LOCAL_RATELIMIT = 'envoy.filters.http.local_ratelimit';
const LOCAL_RATELIMIT_TYPE = 'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';
const FILTER_CONFIG_TYPE = 'envoy.config.route.v3.FilterConfig';
const HTTP_PROTOCOL_OPTIONS = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions';
const RATE = { requests_per_second: 1000, burst_size: 100 };

const located = locateAlb();
const skip = !located.exists && !located.required ? located.reason : false;

describe('an Envoy-like client decodes every resource with Envoy\'s canonical protos', { skip, timeout: SUITE_TIMEOUT_MS }, () => {
  let alb;
  let ports;
  const run = (fn) => withAlbOutput(() => alb, fn);
  const endpoints = (...ps) => ps.map((port) => ({ address: '127.0.0.1', port, weight: 1 }));

  before(async () => {
    ports = await freePorts(3);
    alb = await startAlb();
    await run(async () => {
      const c = alb.client;
      expectSuccess(await c.upsertCluster({ cluster: { name: 'web-blue', endpoints: endpoints(ports[0], ports[1]), http2: true } }), 'UpsertCluster web-blue');
      expectSuccess(await c.upsertCluster({ cluster: { name: 'web-green', endpoints: endpoints(ports[2]), http2: true } }), 'UpsertCluster web-green');
      expectSuccess(
        await c.upsertCluster({ cluster: { name: 'dns', endpoints: [{ address: 'localhost', port: ports[2], weight: 1 }] } }),
        'UpsertCluster dns',
      );
      expectSuccess(
        await c.upsertRoute({
          route: {
            name: 'web',
            prefix: '/',
            hosts: ['web.test'],
            weights: [
              { backend_name: 'web-blue', weight: 90 },
              { backend_name: 'web-green', weight: 10 },
            ],
            enabled: true,
          },
        }),
        'UpsertRoute web',
      );
      expectSuccess(
        await c.upsertRoute({
          route: {
            name: 'api',
            regex: '/api/v[0-9]+/.*',
            cluster_name: 'dns',
            hosts: ['web.test'],
            timeout_seconds: 5,
            retry: { retry_on: '5xx,connect-failure', num_retries: 2, per_try_timeout_ms: 500 },
            enabled: true,
          },
        }),
        'UpsertRoute api',
      );
      expectSuccess(await c.applyRateLimit({ route_name: 'web', config: { ...RATE, enabled: true } }), 'ApplyRateLimit web');
    });
  });

  after(async () => {
    if (alb) await alb.stop();
  });

  const variants = [
    { protocol: 'sotw', wildcard: 'legacy' },
    { protocol: 'delta', wildcard: 'legacy' },
    { protocol: 'sotw', wildcard: 'explicit' },
    { protocol: 'delta', wildcard: 'explicit' },
  ];

  for (const { protocol, wildcard } of variants) {
    const label = `${protocol === 'sotw' ? 'state of the world' : 'delta'}, ${wildcard === 'legacy' ? 'legacy (empty)' : 'explicit "*"'} wildcard`;
    test(`${label}: decodes, follows every reference, ACKs, and follows changes`, () =>
      run(async () => {
        // Every variant starts from the same weights.
        expectSuccess(
          await alb.client.setTrafficWeight({
            route_name: 'web',
            weights: [
              { backend_name: 'web-blue', weight: 90 },
              { backend_name: 'web-green', weight: 10 },
            ],
          }),
          'SetTrafficWeight 90/10',
        );
        const nodeId = `envoy-like-${protocol}-${wildcard}-${process.pid}`;
        const envoy = new EnvoyLikeClient({ target: alb.xdsTarget, protocol, wildcard, nodeId }).start();
        try {
          await envoy.waitFor(() => {
            const web = envoy.route('web');
            return (
              web &&
              routeWeights(web.route)['web-green'] === 10 &&
              envoy.route('api') &&
              envoy.cluster('dns') &&
              envoy.loadAssignment('web-blue') &&
              envoy.problems().length === 0
            );
          }, 'a complete, consistent Envoy configuration');

          checkClusters(envoy, ports);
          checkListeners(envoy, alb.ports.envoyListen);
          checkRoutes(envoy);

          const node = await pollStatus(
            alb.client,
            (s) => {
              const n = findNode(s, nodeId);
              return ackedAllTypes(n) ? n : null;
            },
            `GetStatus to show ${nodeId} with every type ACKed`,
          );
          assert.equal(node.kind, 'envoy');
          assert.equal(node.connected, true);
          assert.equal(node.last_nack_error, '');

          // A change: the client has applied it by the time wait_for_ack returns.
          const shift = await alb.client.setTrafficWeight({
            route_name: 'web',
            weights: [
              { backend_name: 'web-blue', weight: 0 },
              { backend_name: 'web-green', weight: 100 },
            ],
            wait_for_ack: true,
          });
          expectSuccess(shift, 'SetTrafficWeight 0/100');
          assert.deepEqual(shift.ack.nacks, []);
          assert.ok(shift.ack.acked_nodes >= 1, `the Envoy-like node counts in wait_for_ack: ${JSON.stringify(shift.ack)}`);
          assert.deepEqual(routeWeights(envoy.route('web').route), { 'web-blue': 0, 'web-green': 100 });

          // A cluster comes and goes.
          const added = await alb.client.upsertCluster({ cluster: { name: 'extra', endpoints: endpoints(ports[0]), http2: true }, wait_for_ack: true });
          expectSuccess(added, 'UpsertCluster extra');
          assert.ok(envoy.cluster('extra'), 'the new cluster arrived before wait_for_ack returned');
          // Its endpoints came on the EDS subscription the new cluster caused, before wait_for_ack
          // returned (the test below checks that on its own).
          await envoy.waitFor(() => envoy.loadAssignment('extra'), 'the endpoints of the new cluster');
          assert.deepEqual(endpointAddresses(envoy.loadAssignment('extra')), [`127.0.0.1:${ports[0]}`]);
          const removed = await alb.client.deleteCluster({ name: 'extra', wait_for_ack: true });
          expectSuccess(removed, 'DeleteCluster extra');
          assert.equal(envoy.cluster('extra'), undefined, 'the deleted cluster is gone');
          if (protocol === 'delta') {
            assert.ok(
              envoy.responsesFor(TYPE_URLS.cluster).some((r) => r.removed.includes('extra')),
              'delta: the deletion came in removed_resources',
            );
          } else {
            const last = envoy.responsesFor(TYPE_URLS.cluster).at(-1);
            assert.ok(!last.names.includes('extra') && last.names.includes('web-blue'), 'SotW: the last CDS response has every cluster but the deleted one');
          }
          assert.deepEqual(envoy.problems(), []);
        } finally {
          envoy.close();
        }
      }));
  }

  test(
    'wait_for_ack on a new cluster returns only once an Envoy node has its endpoints (no warming cluster left)',
    () =>
      run(async () => {
        const envoy = new EnvoyLikeClient({ target: alb.xdsTarget, protocol: 'sotw', nodeId: `envoy-like-warming-${process.pid}` }).start();
        try {
          await envoy.waitFor(() => envoy.loadAssignment('web-blue') && envoy.problems().length === 0, 'a consistent configuration');
          for (let i = 0; i < 3; i++) {
            const name = `warming-${i}`;
            expectSuccess(
              await alb.client.upsertCluster({ cluster: { name, endpoints: endpoints(ports[1]), http2: true }, wait_for_ack: true }),
              `UpsertCluster ${name}`,
            );
            assert.ok(envoy.loadAssignment(name), `${name} has its endpoints when wait_for_ack returns (else Envoy still warms it)`);
          }
        } finally {
          envoy.close();
        }
      }),
  );
});

function checkClusters(envoy, ports) {
  const blue = envoy.cluster('web-blue');
  assert.equal(blue.type, 'EDS');
  assert.ok(blue.eds_cluster_config.eds_config.ads, 'EDS over ADS');
  const options = blue.typed_extension_protocol_options[HTTP_PROTOCOL_OPTIONS];
  assert.ok(options, `web-blue has ${HTTP_PROTOCOL_OPTIONS}: ${JSON.stringify(blue)}`);
  assert.equal(options['@type'], HTTP_PROTOCOL_OPTIONS);
  assert.ok(options.explicit_http_config && options.explicit_http_config.http2_protocol_options, 'HTTP/2 upstream');
  assert.deepEqual(endpointAddresses(envoy.loadAssignment(edsName(blue))), [`127.0.0.1:${ports[0]}`, `127.0.0.1:${ports[1]}`].sort());
  assert.deepEqual(endpointAddresses(envoy.loadAssignment(edsName(envoy.cluster('web-green')))), [`127.0.0.1:${ports[2]}`]);

  // Envoy resolves hostnames itself: a DNS cluster with its endpoints inline, not EDS.
  const dns = envoy.cluster('dns');
  assert.ok(['STRICT_DNS', 'LOGICAL_DNS'].includes(dns.type), `dns is a DNS cluster: ${dns.type}`);
  assert.deepEqual(endpointAddresses(dns.load_assignment), [`localhost:${ports[2]}`]);
}

function checkListeners(envoy, listenPort) {
  const listeners = envoy.listeners();
  assert.ok(listeners.length >= 1, 'at least one listener');
  const onPort = listeners.find((l) => l.address && l.address.socket_address && l.address.socket_address.port_value === listenPort);
  assert.ok(onPort, `a listener on ENVOY_LISTEN_PORT ${listenPort}: ${JSON.stringify(listeners.map((l) => l.address))}`);
  const hcms = httpConnectionManagers(onPort);
  assert.equal(hcms.length >= 1, true);
  for (const hcm of hcms) {
    assert.ok(hcm.stat_prefix, 'HCM stat_prefix is set (Envoy requires it)');
    const names = (hcm.http_filters || []).map((f) => f.name);
    const rl = names.indexOf(LOCAL_RATELIMIT);
    assert.ok(rl >= 0 && rl < names.length - 1, `the local rate-limit filter sits before the router: ${names}`);
    assert.equal(hcm.http_filters[rl].typed_config['@type'], LOCAL_RATELIMIT_TYPE);
    assert.ok(hcm.http_filters[rl].typed_config.stat_prefix, 'LocalRateLimit.stat_prefix is required');
  }
  const rdsNames = hcms.filter((h) => h.rds).map((h) => h.rds.route_config_name);
  const hasWebRoute = envoy
    .routes()
    .some(({ routeConfig, route }) => route.name === 'web' && rdsNames.includes(routeConfig.name));
  assert.ok(hasWebRoute, `the listener's RouteConfiguration holds the route "web": ${rdsNames}`);
}

function checkRoutes(envoy) {
  const web = envoy.route('web');
  assert.ok(web.virtualHost.domains.includes('web.test'), `domains: ${web.virtualHost.domains}`);
  assert.equal(web.route.match.prefix, '/');
  assert.deepEqual(routeWeights(web.route), { 'web-blue': 90, 'web-green': 10 });
  assert.equal(web.route.route.weighted_clusters.total_weight, undefined, 'total_weight is deprecated and left unset');

  let limit = web.route.typed_per_filter_config && web.route.typed_per_filter_config[LOCAL_RATELIMIT];
  assert.ok(limit, `web has typed_per_filter_config[${LOCAL_RATELIMIT}]`);
  if (limit['@type'] === FILTER_CONFIG_TYPE) limit = limit.config;
  assert.equal(limit['@type'], LOCAL_RATELIMIT_TYPE);
  const bucket = limit.token_bucket;
  assert.equal(bucket.max_tokens, RATE.burst_size, 'max_tokens is the burst');
  const fillMs = durationMs(bucket.fill_interval);
  assert.ok(fillMs >= 50, `fill_interval ${fillMs} ms is at least 50 ms`);
  const tokensPerFill = bucket.tokens_per_fill ? bucket.tokens_per_fill.value : 1;
  assert.ok(tokensPerFill <= bucket.max_tokens, 'tokens_per_fill fits in the bucket');
  const rps = (tokensPerFill * 1000) / fillMs;
  assert.ok(Math.abs(rps - RATE.requests_per_second) < 1e-6, `rate ${tokensPerFill}/${fillMs} ms = ${rps} rps`);
  for (const field of ['filter_enabled', 'filter_enforced']) {
    const pct = limit[field] && limit[field].default_value;
    assert.ok(pct, `${field} is set (it defaults to 0%)`);
    assert.equal(pct.numerator, 100, `${field} is 100%`);
    assert.equal(pct.denominator || 'HUNDRED', 'HUNDRED', `${field} is 100%`);
  }

  const api = envoy.route('api');
  assert.equal(api.route.match.safe_regex.regex, '/api/v[0-9]+/.*');
  assert.equal(api.route.route.cluster, 'dns');
  assert.equal(durationMs(api.route.route.timeout), 5000);
  const retry = api.route.route.retry_policy;
  assert.equal(retry.retry_on, '5xx,connect-failure');
  assert.equal(retry.num_retries.value, 2);
  assert.equal(durationMs(retry.per_try_timeout), 500);
}
