'use strict';

// Proves that our hand-written Envoy v3 API subset (protos/envoy/...) is wire-compatible with
// canonical Envoy (the protos vendored by @grpc/grpc-js-xds), and that the checker doing so
// cannot be fooled.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const protobuf = require('protobufjs');

const { checkConformance, loadRoots } = require('./lib/conformance');

const PROTOS_DIR = path.resolve(__dirname, '..', '..', 'protos');

// Types the control plane relies on; the subset must keep declaring them.
const REQUIRED = {
  'envoy.service.discovery.v3.DiscoveryRequest': 'message',
  'envoy.service.discovery.v3.DiscoveryResponse': 'message',
  'envoy.service.discovery.v3.DeltaDiscoveryRequest': 'message',
  'envoy.service.discovery.v3.DeltaDiscoveryResponse': 'message',
  'envoy.service.discovery.v3.Resource': 'message',
  'envoy.service.discovery.v3.AggregatedDiscoveryService': 'service',
  'envoy.config.core.v3.Node': 'message',
  'envoy.config.core.v3.Address': 'message',
  'envoy.config.core.v3.SocketAddress': 'message',
  'envoy.config.core.v3.TcpKeepalive': 'message',
  'envoy.config.core.v3.ConfigSource': 'message',
  'envoy.config.core.v3.AggregatedConfigSource': 'message',
  'envoy.config.core.v3.ApiConfigSource': 'message',
  'envoy.config.core.v3.ApiVersion': 'enum',
  'envoy.config.core.v3.GrpcService.EnvoyGrpc': 'message',
  'envoy.config.core.v3.HeaderValueOption': 'message',
  'envoy.config.core.v3.Locality': 'message',
  'envoy.config.core.v3.HealthStatus': 'enum',
  'envoy.config.core.v3.RoutingPriority': 'enum',
  'envoy.config.core.v3.RuntimeFractionalPercent': 'message',
  'envoy.config.core.v3.TransportSocket': 'message',
  'envoy.config.core.v3.DataSource': 'message',
  'envoy.config.core.v3.Http2ProtocolOptions': 'message',
  'envoy.config.core.v3.HttpProtocolOptions': 'message',
  'envoy.config.core.v3.HealthCheck.HttpHealthCheck': 'message',
  'envoy.config.core.v3.HealthCheck.TcpHealthCheck': 'message',
  'envoy.config.core.v3.HealthCheck.GrpcHealthCheck': 'message',
  'envoy.config.core.v3.TypedExtensionConfig': 'message',
  'envoy.type.v3.FractionalPercent.DenominatorType': 'enum',
  'envoy.type.v3.Percent': 'message',
  'envoy.type.v3.TokenBucket': 'message',
  'envoy.type.v3.HttpStatus': 'message',
  'envoy.type.matcher.v3.StringMatcher': 'message',
  'envoy.type.matcher.v3.RegexMatcher': 'message',
  'envoy.config.listener.v3.Listener': 'message',
  'envoy.config.listener.v3.FilterChain': 'message',
  'envoy.config.listener.v3.Filter': 'message',
  'envoy.config.listener.v3.ApiListener': 'message',
  'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager': 'message',
  'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.CodecType':
    'enum',
  'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.UpgradeConfig':
    'message',
  'envoy.extensions.filters.network.http_connection_manager.v3.Rds': 'message',
  'envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter': 'message',
  'envoy.config.accesslog.v3.AccessLog': 'message',
  'envoy.extensions.access_loggers.stream.v3.StdoutAccessLog': 'message',
  'envoy.extensions.filters.http.router.v3.Router': 'message',
  'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit': 'message',
  'envoy.config.route.v3.RouteConfiguration': 'message',
  'envoy.config.route.v3.VirtualHost': 'message',
  'envoy.config.route.v3.Route': 'message',
  'envoy.config.route.v3.RouteMatch': 'message',
  'envoy.config.route.v3.HeaderMatcher': 'message',
  'envoy.config.route.v3.RouteAction': 'message',
  'envoy.config.route.v3.RouteAction.UpgradeConfig': 'message',
  'envoy.config.route.v3.WeightedCluster.ClusterWeight': 'message',
  'envoy.config.route.v3.FilterConfig': 'message',
  'envoy.config.route.v3.RetryPolicy': 'message',
  'envoy.config.cluster.v3.Cluster': 'message',
  'envoy.config.cluster.v3.Cluster.DiscoveryType': 'enum',
  'envoy.config.cluster.v3.Cluster.LbPolicy': 'enum',
  'envoy.config.cluster.v3.Cluster.DnsLookupFamily': 'enum',
  'envoy.config.cluster.v3.Cluster.EdsClusterConfig': 'message',
  'envoy.config.cluster.v3.CircuitBreakers.Thresholds': 'message',
  'envoy.config.cluster.v3.OutlierDetection': 'message',
  'envoy.config.cluster.v3.UpstreamConnectionOptions': 'message',
  'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': 'message',
  'envoy.config.endpoint.v3.ClusterLoadAssignment': 'message',
  'envoy.config.endpoint.v3.LocalityLbEndpoints': 'message',
  'envoy.config.endpoint.v3.LbEndpoint': 'message',
  'envoy.config.endpoint.v3.Endpoint': 'message',
  'envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext': 'message',
  'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext': 'message',
  'envoy.extensions.transport_sockets.tls.v3.CommonTlsContext': 'message',
  'envoy.extensions.transport_sockets.tls.v3.TlsCertificate': 'message',
  'envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext': 'message',
  'envoy.config.bootstrap.v3.Bootstrap': 'message',
  'envoy.config.bootstrap.v3.Bootstrap.StaticResources': 'message',
  'envoy.config.bootstrap.v3.Bootstrap.DynamicResources': 'message',
  'envoy.config.bootstrap.v3.Admin': 'message',
};

function kindOf(obj) {
  if (obj instanceof protobuf.Type) return 'message';
  if (obj instanceof protobuf.Enum) return 'enum';
  if (obj instanceof protobuf.Service) return 'service';
  return 'other';
}

test('our Envoy API subset matches canonical Envoy field for field', () => {
  const { mismatches, stats } = checkConformance(PROTOS_DIR);
  assert.deepEqual(mismatches, [], `${mismatches.length} mismatch(es):\n${mismatches.join('\n')}`);
  // An empty or truncated walk must not pass.
  assert.ok(stats.files >= 30, `only ${stats.files} proto files checked`);
  assert.ok(stats.messages >= 60, `only ${stats.messages} messages checked`);
  assert.ok(stats.enums >= 10, `only ${stats.enums} enums checked`);
  assert.ok(stats.fields >= 300, `only ${stats.fields} fields checked`);
  assert.ok(stats.services >= 1 && stats.methods >= 2, 'the ADS service was not checked');
  console.log(
    `checked ${stats.files} files: ${stats.messages} messages (${stats.fields} fields), ` +
      `${stats.enums} enums (${stats.enumValues} values), ${stats.services} service(s) ` +
      `(${stats.methods} rpcs)`,
  );
});

test('the subset declares every type the control plane relies on', () => {
  const { ours } = loadRoots(PROTOS_DIR);
  const missing = [];
  for (const [name, kind] of Object.entries(REQUIRED)) {
    const found = ours.lookup(name);
    if (!found || found.fullName !== `.${name}` || kindOf(found) !== kind) {
      missing.push(`${name} (${kind})`);
    }
  }
  assert.deepEqual(missing, []);

  const ads = ours.lookupService('envoy.service.discovery.v3.AggregatedDiscoveryService');
  const rpcs = Object.fromEntries(
    ads.methodsArray.map((m) => [
      m.name,
      `${m.requestStream ? 'stream ' : ''}${m.resolvedRequestType.fullName} -> ` +
        `${m.responseStream ? 'stream ' : ''}${m.resolvedResponseType.fullName}`,
    ]),
  );
  assert.deepEqual(rpcs, {
    StreamAggregatedResources:
      'stream .envoy.service.discovery.v3.DiscoveryRequest -> ' +
      'stream .envoy.service.discovery.v3.DiscoveryResponse',
    DeltaAggregatedResources:
      'stream .envoy.service.discovery.v3.DeltaDiscoveryRequest -> ' +
      'stream .envoy.service.discovery.v3.DeltaDiscoveryResponse',
  });
});

test('messages encoded with our protos decode identically with canonical Envoy', () => {
  const { ours, canonical } = loadRoots(PROTOS_DIR);
  const toObj = { longs: String, enums: String, bytes: String, oneofs: true };

  const pack = (root, typeName, value) => {
    const type = root.lookupType(typeName);
    return {
      type_url: `type.googleapis.com/${typeName}`,
      value: type.encode(type.fromObject(value)).finish(),
    };
  };
  const roundTrip = (typeName, value) => {
    const ourType = ours.lookupType(typeName);
    const canonType = canonical.lookupType(typeName);
    const message = ourType.fromObject(value);
    const bytes = ourType.encode(message).finish();
    const decoded = canonType.decode(bytes);
    assert.deepEqual(
      canonType.toObject(decoded, toObj),
      ourType.toObject(message, toObj),
      `${typeName} does not survive our encode -> canonical decode`,
    );
    // And back: canonical encoding of the same message decodes to the same thing with ours.
    const back = ourType.decode(canonType.encode(decoded).finish());
    assert.deepEqual(ourType.toObject(back, toObj), ourType.toObject(message, toObj));
    return decoded;
  };

  const httpOptions = pack(ours, 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions', {
    explicit_http_config: { http2_protocol_options: { max_concurrent_streams: { value: 100 } } },
    common_http_protocol_options: { idle_timeout: { seconds: 60 } },
  });
  const cluster = roundTrip('envoy.config.cluster.v3.Cluster', {
    name: 'backend',
    type: 'EDS',
    eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' }, service_name: 'b' },
    connect_timeout: { seconds: 5 },
    lb_policy: 'LEAST_REQUEST',
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': httpOptions,
    },
    health_checks: [
      {
        timeout: { seconds: 1 },
        interval: { seconds: 5 },
        unhealthy_threshold: { value: 3 },
        healthy_threshold: { value: 2 },
        http_health_check: { path: '/healthz', host: 'backend' },
      },
    ],
    circuit_breakers: { thresholds: [{ priority: 'HIGH', max_connections: { value: 1000 } }] },
    outlier_detection: { consecutive_5xx: { value: 5 }, base_ejection_time: { seconds: 30 } },
    upstream_connection_options: { tcp_keepalive: { keepalive_time: { value: 60 } } },
    dns_lookup_family: 'V4_ONLY',
  });
  assert.equal(cluster.type, 3);
  const anyOptions = cluster.typed_extension_protocol_options[
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions'
  ];
  const canonOptions = canonical
    .lookupType('envoy.extensions.upstreams.http.v3.HttpProtocolOptions')
    .decode(anyOptions.value);
  assert.equal(
    canonOptions.explicit_http_config.http2_protocol_options.max_concurrent_streams.value,
    100,
  );

  const hcm = pack(
    ours,
    'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
    {
      codec_type: 'AUTO',
      stat_prefix: 'ingress_http',
      rds: { config_source: { ads: {}, resource_api_version: 'V3' }, route_config_name: 'rc' },
      http_filters: [
        {
          name: 'envoy.filters.http.router',
          typed_config: pack(ours, 'envoy.extensions.filters.http.router.v3.Router', {}),
        },
      ],
      upgrade_configs: [{ upgrade_type: 'websocket', enabled: { value: true } }],
      use_remote_address: { value: true },
    },
  );
  roundTrip('envoy.config.listener.v3.Listener', {
    name: 'https',
    address: { socket_address: { address: '0.0.0.0', port_value: 443 } },
    filter_chains: [
      {
        filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: hcm }],
        transport_socket: {
          name: 'envoy.transport_sockets.tls',
          typed_config: pack(ours, 'envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext', {
            common_tls_context: {
              tls_certificates: [
                {
                  certificate_chain: { filename: '/certs/tls.crt' },
                  private_key: { filename: '/certs/tls.key' },
                },
              ],
              alpn_protocols: ['h2', 'http/1.1'],
            },
          }),
        },
      },
    ],
  });

  roundTrip('envoy.config.route.v3.RouteConfiguration', {
    name: 'rc',
    virtual_hosts: [
      {
        name: 'vh',
        domains: ['*'],
        routes: [
          {
            match: {
              prefix: '/api',
              headers: [{ name: 'x-canary', string_match: { exact: '1' } }],
            },
            route: {
              weighted_clusters: {
                clusters: [
                  { name: 'a', weight: { value: 90 } },
                  { name: 'b', weight: { value: 10 } },
                ],
              },
              timeout: { seconds: 15 },
              retry_policy: { retry_on: '5xx', num_retries: { value: 2 } },
              upgrade_configs: [{ upgrade_type: 'websocket' }],
            },
            typed_per_filter_config: {
              'envoy.filters.http.local_ratelimit': pack(
                ours,
                'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
                {
                  stat_prefix: 'rl',
                  token_bucket: { max_tokens: 10, fill_interval: { seconds: 1 } },
                  filter_enabled: { default_value: { numerator: 100, denominator: 'HUNDRED' } },
                },
              ),
            },
          },
        ],
      },
    ],
  });

  roundTrip('envoy.config.endpoint.v3.ClusterLoadAssignment', {
    cluster_name: 'b',
    endpoints: [
      {
        locality: { zone: 'z1' },
        lb_endpoints: [
          {
            endpoint: { address: { socket_address: { address: '10.0.0.1', port_value: 8080 } } },
            health_status: 'HEALTHY',
            load_balancing_weight: { value: 1 },
          },
        ],
      },
    ],
  });

  roundTrip('envoy.service.discovery.v3.DiscoveryRequest', {
    version_info: '1',
    node: { id: 'n', cluster: 'c', user_agent_name: 'envoy', user_agent_version: '1.31.0' },
    resource_names: ['rc'],
    type_url: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
    response_nonce: 'abc',
    error_detail: { code: 3, message: 'bad' },
  });
  roundTrip('envoy.service.discovery.v3.DeltaDiscoveryResponse', {
    system_version_info: '2',
    resources: [{ name: 'rc', version: '2', resource: { type_url: 'x', value: Buffer.from([1]) } }],
    type_url: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
    removed_resources: ['old'],
    nonce: 'n2',
  });
});

// --- The checker cannot be fooled: alter a copy of our tree and expect exactly that mismatch. ---

function copyTree() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'marchproxy-conformance-'));
  for (const tree of ['envoy', 'xds', 'udpa']) {
    const src = path.join(PROTOS_DIR, tree);
    if (fs.existsSync(src)) fs.cpSync(src, path.join(dir, tree), { recursive: true });
  }
  return dir;
}

function edit(dir, relFile, from, to) {
  const file = path.join(dir, relFile);
  const text = fs.readFileSync(file, 'utf8');
  const occurrences = text.split(from).length - 1;
  assert.equal(occurrences, 1, `expected exactly one '${from}' in ${relFile}, found ${occurrences}`);
  fs.writeFileSync(file, text.replace(from, to));
}

const ROUTE_COMPONENTS = 'envoy/config/route/v3/route_components.proto';
const MUTATIONS = [
  {
    what: 'a wrong field number',
    file: ROUTE_COMPONENTS,
    from: '    // Path prefix.\n    string prefix = 1;',
    to: '    // Path prefix.\n    string prefix = 99;',
    expect: ['envoy.config.route.v3.RouteMatch.prefix: number 99 != canonical 1'],
  },
  {
    what: 'a wrong scalar type',
    file: ROUTE_COMPONENTS,
    from: '  bool invert_match = 8;',
    to: '  string invert_match = 8;',
    expect: ['envoy.config.route.v3.HeaderMatcher.invert_match: type string != canonical bool'],
  },
  {
    what: 'a wrong field name',
    file: ROUTE_COMPONENTS,
    from: '  string prefix_rewrite = 5;\n  envoy.type.matcher.v3.RegexMatchAndSubstitute regex_rewrite = 32;',
    to: '  string prefix_rewrites = 5;\n  envoy.type.matcher.v3.RegexMatchAndSubstitute regex_rewrite = 32;',
    expect: [
      "envoy.config.route.v3.RouteAction.prefix_rewrites: field does not exist in canonical (canonical field #5 is 'prefix_rewrite')",
    ],
  },
  {
    what: 'a wrong label',
    file: ROUTE_COMPONENTS,
    from: '  repeated string domains = 2;',
    to: '  string domains = 2;',
    expect: ['envoy.config.route.v3.VirtualHost.domains: label singular != canonical repeated'],
  },
  {
    what: 'a proto3 optional label Envoy does not have',
    file: ROUTE_COMPONENTS,
    from: '  bool treat_missing_header_as_empty = 14;',
    to: '  optional bool treat_missing_header_as_empty = 14;',
    expect: [
      'envoy.config.route.v3.HeaderMatcher.treat_missing_header_as_empty: label optional != canonical singular',
    ],
  },
  {
    what: 'a wrong oneof',
    file: ROUTE_COMPONENTS,
    from: '  oneof random_value_specifier {',
    to: '  oneof random_value {',
    expect: [
      'envoy.config.route.v3.WeightedCluster.header_name: oneof random_value != canonical random_value_specifier',
    ],
  },
  {
    what: 'a field taken out of its oneof',
    file: 'envoy/config/core/v3/base.proto',
    from: '  oneof user_agent_version_type {\n    // Free-form version string.\n    string user_agent_version = 7;\n',
    to: '  string user_agent_version = 7;\n\n  oneof user_agent_version_type {\n',
    expect: [
      'envoy.config.core.v3.Node.user_agent_version: oneof (none) != canonical user_agent_version_type',
    ],
  },
  {
    what: 'a wrong message type',
    file: 'envoy/service/discovery/v3/discovery.proto',
    from: '  envoy.config.core.v3.Node node = 2;',
    to: '  envoy.config.core.v3.Locality node = 2;',
    expect: [
      'envoy.service.discovery.v3.DiscoveryRequest.node: type envoy.config.core.v3.Locality != canonical envoy.config.core.v3.Node',
    ],
  },
  {
    what: 'a wrong map value type',
    file: 'envoy/config/cluster/v3/cluster.proto',
    from: '  map<string, google.protobuf.Any> typed_extension_protocol_options = 36;',
    to: '  map<string, google.protobuf.Struct> typed_extension_protocol_options = 36;',
    expect: [
      'envoy.config.cluster.v3.Cluster.typed_extension_protocol_options: type map<string, google.protobuf.Struct> != canonical map<string, google.protobuf.Any>',
    ],
  },
  {
    what: 'a wrong enum number',
    file: 'envoy/config/cluster/v3/cluster.proto',
    from: '    MAGLEV = 5;',
    to: '    MAGLEV = 4;',
    expect: ['envoy.config.cluster.v3.Cluster.LbPolicy.MAGLEV: enum number 4 != canonical 5'],
  },
  {
    what: 'a message Envoy does not define',
    file: ROUTE_COMPONENTS,
    from: '// A route action implemented by an extension.\n',
    to: 'message RouteExtras {\n  string note = 1;\n}\n\n// A route action implemented by an extension.\n',
    expect: ['envoy.config.route.v3.RouteExtras: message does not exist in canonical'],
  },
  {
    what: 'a non-streaming rpc',
    file: 'envoy/service/discovery/v3/ads.proto',
    from: 'rpc DeltaAggregatedResources(stream DeltaDiscoveryRequest)',
    to: 'rpc DeltaAggregatedResources(DeltaDiscoveryRequest)',
    expect: [
      'envoy.service.discovery.v3.AggregatedDiscoveryService.DeltaAggregatedResources: request streaming false != canonical true',
    ],
  },
];

test('the checker reports exactly the mismatch planted in a copy of the tree', async (t) => {
  for (const m of MUTATIONS) {
    await t.test(m.what, () => {
      const dir = copyTree();
      try {
        // The untouched copy is clean, so whatever is reported below comes from the edit.
        assert.deepEqual(checkConformance(dir).mismatches, []);
        edit(dir, m.file, m.from, m.to);
        assert.deepEqual(checkConformance(dir).mismatches, m.expect);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

test('the checker reports an Envoy file path we invented and a file that fails to load', () => {
  const dir = copyTree();
  try {
    // A type moved to a file Envoy does not have.
    const src = path.join(dir, 'envoy/config/route/v3/route_components.proto');
    const text = fs.readFileSync(src, 'utf8');
    const block = '// Non-forwarding action.\nmessage NonForwardingAction {\n}\n';
    const marker = '// Match but don\'t forward (used by non-proxying HTTP filters).\nmessage NonForwardingAction {\n}\n';
    assert.ok(text.includes(marker));
    fs.writeFileSync(src, text.replace(marker, ''));
    fs.writeFileSync(
      path.join(dir, 'envoy/config/route/v3/route_extras.proto'),
      `syntax = "proto3";\n\npackage envoy.config.route.v3;\n\n${block}`,
    );
    const { mismatches } = checkConformance(dir);
    assert.deepEqual(mismatches, [
      'envoy/config/route/v3/route_extras.proto: no canonical file at the same relative path',
      'envoy.config.route.v3.NonForwardingAction: declared in envoy/config/route/v3/route_extras.proto, canonical declares it in envoy/config/route/v3/route_components.proto',
    ]);

    // A broken import must fail loudly rather than be filled in from canonical.
    fs.rmSync(path.join(dir, 'envoy/type/v3/range.proto'));
    assert.throws(() => checkConformance(dir), /range\.proto/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
