'use strict';

// The CI constraint walk: every resource the translators build, from random desired states that use
// every translator feature, for Envoy and for gRPC nodes, checked against the (validate.rules) of
// Envoy's canonical protos (shipped in @grpc/grpc-js-xds). Also checks that the C# rule table the ALB
// applies before publishing matches those annotations, and that the walk catches a planted violation.

const test = require('node:test');
const assert = require('node:assert/strict');
const { PgvChecker, fieldRules, oneofRequired, nanos } = require('./lib/pgv-checker');
const { canonicalProtos } = require('./lib/envoy-protos');
const { locateDump, runDump } = require('./lib/resource-dump');

const FEATURES = [
  'default_listener', 'listener_tls_file', 'listener_tls_inline',
  'eds_cluster', 'dns_cluster', 'ipv6_endpoints', 'http2', 'health_check_http', 'health_check_tcp',
  'outlier_detection', 'circuit_breakers', 'upstream_tls_unverified', 'upstream_tls_ca_file', 'upstream_tls_ca_inline',
  'lb_RoundRobin', 'lb_LeastRequest', 'lb_Random', 'lb_RingHash', 'lb_Maglev',
  'match_prefix', 'match_path', 'match_regex', 'match_headers', 'any_host', 'exact_hosts', 'wildcard_hosts', 'star_host',
  'weighted_backends', 'timeout', 'retry', 'websocket', 'rate_limit', 'disabled_route',
  'hash_header', 'hash_cookie', 'hash_source_ip', 'envoy_routes', 'grpc_routes',
];

const dump = locateDump();
const skip = dump.exists ? false : dump.reason;

let walk;
function walked() {
  if (!walk) {
    const { summary, resources } = runDump({ states: 60, seed: 1 });
    const checker = new PgvChecker();
    const visited = new Set();
    const original = checker._message.bind(checker);
    checker._message = (type, message, path, out) => {
      // The fields whose rules matter for what is emitted: the ones set, plus the ones whose rules
      // would fail when left unset (required, or failing on the default value).
      for (const field of type.fieldsArray) {
        const rules = fieldRules(field);
        if (rules && (emitted(message, field) || failsUnset(field, rules))) {
          visited.add(`${type.fullName.slice(1)}.${field.name}`);
        }
      }
      for (const oneof of type.oneofsArray) if (oneofRequired(oneof)) visited.add(`${type.fullName.slice(1)}.(${oneof.name})`);
      return original(type, message, path, out);
    };
    const violations = [];
    for (const r of resources) {
      for (const v of checker.checkBytes(r.type, r.bytes)) {
        violations.push(`state ${r.state} ${r.kind} ${r.type.split('.').pop()} '${r.name}': ${v.path}: ${v.message}`);
      }
    }
    walk = { summary, resources, violations, checks: checker.checks, visited };
  }
  return walk;
}

test('every resource built for Envoy and gRPC nodes passes the canonical (validate.rules)', { skip }, () => {
  const { summary, resources, violations, checks } = walked();
  assert.deepEqual(violations, [], `${violations.length} violation(s):\n${violations.slice(0, 50).join('\n')}`);
  assert.deepEqual(summary.model_errors, [], 'the random states are valid for the model');
  assert.deepEqual(summary.rule_findings, [], "the ALB's own rule stage agrees: nothing to reject");
  const missing = FEATURES.filter((f) => !summary.features.includes(f));
  assert.deepEqual(missing, [], 'the random states cover every translator feature');
  assert.ok(resources.some((r) => r.kind === 'envoy') && resources.some((r) => r.kind === 'grpc'), 'both node kinds are walked');
  for (const type of ['Cluster', 'ClusterLoadAssignment', 'Listener', 'RouteConfiguration']) {
    assert.ok(resources.some((r) => r.type.endsWith(`.${type}`)), `${type}s are walked`);
  }
  assert.ok(resources.length >= 500, `only ${resources.length} resources`);
  assert.ok(checks >= 20_000, `only ${checks} rule checks`);
  console.log(`walked ${resources.length} resources from ${summary.states} states: ${checks} rule checks, 0 violations`);
});

function emitted(message, field) {
  if (field.partOf) return message[field.partOf.name] === field.name;
  const value = message[field.name];
  if (field.repeated) return Array.isArray(value) && value.length > 0;
  if (field.map) return value && Object.keys(value).length > 0;
  return Object.prototype.hasOwnProperty.call(message, field.name) && value !== null;
}

const probeChecker = new PgvChecker();

function failsUnset(field, rules) {
  if (field.partOf) return false;
  if (JSON.stringify(rules).includes('"required":true') || JSON.stringify(rules).includes('min_items')) return true;
  const probe = [];
  try {
    probeChecker._value(field, rules, undefined, field.name, probe);
  } catch {
    return true;
  }
  return probe.length > 0;
}

/** A canonical rule object in the shape the C# table writes (durations in total nanoseconds, lists as arrays, strict explicit). */
function normalise(rules) {
  if (Array.isArray(rules)) return rules.map(normalise);
  if (!rules || typeof rules !== 'object') return rules;
  const out = {};
  for (const [key, value] of Object.entries(rules)) {
    if (key === 'duration') {
      out.duration = {};
      for (const [k, v] of Object.entries(value)) {
        out.duration[k] = k === 'required' || (v && v.nanos_total !== undefined) ? v : { nanos_total: Number(nanos(v)) };
      }
    } else if (key === 'not_in' || key === 'in') {
      out[key] = [].concat(value);
    } else {
      out[key] = normalise(value);
    }
  }
  if (out.well_known_regex !== undefined && out.strict === undefined) out.strict = true;
  return out;
}

test("the ALB's C# rule table equals the canonical annotations, and covers every field the walk met", { skip }, () => {
  const { summary, visited } = walked();
  const protos = canonicalProtos();
  const table = summary.rules.fields;
  const mismatches = [];
  for (const [name, rules] of Object.entries(table)) {
    const dot = name.lastIndexOf('.');
    const type = protos.findType(name.slice(0, dot));
    const field = type && type.fields[name.slice(dot + 1)];
    const canonical = field && fieldRules(field);
    if (!canonical) {
      mismatches.push(`${name}: not annotated in canonical Envoy`);
      continue;
    }
    try {
      assert.deepEqual(normalise(rules), normalise(canonical));
    } catch {
      mismatches.push(`${name}: ours ${JSON.stringify(rules)} vs canonical ${JSON.stringify(canonical)}`);
    }
  }
  const oneofs = new Set(summary.rules.required_oneofs);
  for (const name of visited) {
    const oneof = name.match(/^(.*)\.\((.*)\)$/);
    if (oneof) {
      if (!oneofs.has(`${oneof[1]}.${oneof[2]}`)) mismatches.push(`${oneof[1]}.${oneof[2]}: required oneof missing from the C# table`);
    } else if (!table[name]) {
      mismatches.push(`${name}: annotated field the translators emit, missing from the C# table`);
    }
  }
  for (const name of oneofs) {
    const dot = name.lastIndexOf('.');
    const type = protos.findType(name.slice(0, dot));
    const oneof = type && type.oneofs[name.slice(dot + 1)];
    if (!oneof || !oneofRequired(oneof)) mismatches.push(`${name}: not a required oneof in canonical Envoy`);
  }
  assert.deepEqual(mismatches, [], mismatches.join('\n'));
  assert.ok(Object.keys(table).length >= 80, 'the table is not truncated');
});

test('the walk catches a violation planted in a dumped resource', { skip }, () => {
  const { resources } = runDump({ states: 1, seed: 1, plant: true });
  const checker = new PgvChecker();
  const found = resources.flatMap((r) => checker.checkBytes(r.type, r.bytes).map((v) => `${r.kind} ${r.type.split('.').pop()} ${v.path}: ${v.message}`));
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0], /^envoy Cluster connect_timeout: must be > 0 ns$/);
});

test('the checker applies each kind of rule it meets', () => {
  const protos = canonicalProtos();
  const checker = new PgvChecker(protos);
  const check = (type, object) => checker.checkBytes(type, protos.encode(type, object)).map((v) => `${v.path}: ${v.message}`);
  const route = 'envoy.config.route.v3.RouteConfiguration';
  const cluster = 'envoy.config.cluster.v3.Cluster';
  const hcmUrl = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';

  assert.deepEqual(check(route, { name: 'r', virtual_hosts: [{ name: 'v', domains: [] }] }), ['virtual_hosts[0].domains: needs at least 1 items']);
  assert.deepEqual(check(route, { virtual_hosts: [{ name: 'v', domains: ['a\nb'], routes: [{ match: { prefix: '/' } }] }] }), [
    'virtual_hosts[0].domains[0]: is not a valid HTTP_HEADER_VALUE (loose)',
    'virtual_hosts[0].routes[0].action: one of Route.action must be set',
  ]);
  assert.deepEqual(check(route, { virtual_hosts: [{ name: 'v', domains: ['*'], routes: [{ match: { safe_regex: { regex: '' } }, route: { cluster: 'c' } }] }] }), [
    'virtual_hosts[0].routes[0].match.safe_regex.regex: must be at least 1 characters',
  ]);
  assert.deepEqual(check(cluster, { name: 'c', lb_policy: 99, connect_timeout: { seconds: 1 } }), ['lb_policy: 99 is not a defined LbPolicy']);
  assert.deepEqual(check(cluster, { name: 'c', connect_timeout: { seconds: 0 } }), ['connect_timeout: must be > 0 ns']);
  assert.deepEqual(
    check('envoy.config.endpoint.v3.ClusterLoadAssignment', { cluster_name: 'c', endpoints: [{ load_balancing_weight: { value: 0 } }] }),
    ['endpoints[0].load_balancing_weight: 0 must be >= 1'],
  );
  assert.deepEqual(check('envoy.type.v3.TokenBucket', { max_tokens: 1 }), ['fill_interval: is required']);
  const hcm = protos.encode('envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', { rds: { route_config_name: 'r' } });
  assert.deepEqual(
    check('envoy.config.listener.v3.Listener', { name: 'l', filter_chains: [{ filters: [{ name: 'hcm', typed_config: { type_url: hcmUrl, value: hcm } }] }] }),
    [
      'filter_chains[0].filters[0].typed_config.stat_prefix: must be at least 1 characters',
      'filter_chains[0].filters[0].typed_config.rds.config_source: is required',
    ],
  );
  assert.ok(checker.checks > 0);
});
