'use strict';

// A raw ADS client that subscribes exactly as @grpc/grpc-js-xds does for `xds:///<host>`, and
// accepts or rejects each resource with grpc-js-xds's OWN validators (its xds-resource-type
// classes, pinned at 1.14.1), so it ACKs and NACKs what a real gRPC client would, with the same
// error text. Unlike the real client it keeps a log of every response it receives, which is how
// the suite counts what the ALB sends after a NACK.
//
// Subscriptions (state of the world, explicit names for every type, node on the first request):
//   LDS [host] -> the HCM's RDS name -> RDS [name] -> the route's clusters -> CDS [names]
//   -> each EDS cluster's service name (or cluster name) -> EDS [names].

const xds = require('@grpc/grpc-js-xds');
const { ListenerResourceType } = require('@grpc/grpc-js-xds/build/src/xds-resource-type/listener-resource-type');
const { RouteConfigurationResourceType } = require('@grpc/grpc-js-xds/build/src/xds-resource-type/route-config-resource-type');
const { ClusterResourceType } = require('@grpc/grpc-js-xds/build/src/xds-resource-type/cluster-resource-type');
const { EndpointResourceType } = require('@grpc/grpc-js-xds/build/src/xds-resource-type/endpoint-resource-type');
const { AdsClient, TYPE_URLS } = require('./ads-client');
const { httpConnectionManagers, routeClusters, edsName } = require('./envoy-like-client');

// Registers grpc-js-xds's HTTP filters (router, fault, RBAC) and LB policies, which its listener
// and cluster validators consult.
xds.register();

const GRPC_TYPES = {
  [TYPE_URLS.listener]: ListenerResourceType.get(),
  [TYPE_URLS.route]: RouteConfigurationResourceType.get(),
  [TYPE_URLS.cluster]: ClusterResourceType.get(),
  [TYPE_URLS.endpoint]: EndpointResourceType.get(),
};

const PROBE_USER_AGENT = 'gRPC Node Pure JS';

class GrpcLikeProbe extends AdsClient {
  /**
   * @param {object} options
   * @param {string} options.target host:port of the ADS server
   * @param {string} options.host what a real client would dial as xds:///<host>
   * @param {string} [options.nodeId]
   */
  constructor({ target, host, nodeId = `grpc-probe-${process.pid}` }) {
    super({
      target,
      protocol: 'sotw',
      node: {
        id: nodeId,
        cluster: 'interop',
        locality: {},
        user_agent_name: PROBE_USER_AGENT,
        user_agent_version: '1.14.1 (interop probe)',
        client_features: ['envoy.lb.does_not_support_overprovisioning'],
      },
      validate: (typeUrl, any) => this._validate(typeUrl, any),
    });
    this.host = host;
    this.nodeId = nodeId;
    this.on('update', (typeUrl) => this._follow(typeUrl));
  }

  start() {
    super.start();
    this.subscribe(TYPE_URLS.listener, [this.host]);
    return this;
  }

  _validate(typeUrl, any) {
    const type = GRPC_TYPES[typeUrl];
    if (!type) throw new Error(`unexpected type ${typeUrl}`);
    const context = { server: undefined, bootstrap: { certificateProviders: {} } };
    const result = type.decode(context, { type_url: any.type_url, value: any.value });
    if (result.error) return { name: result.name, error: result.error };
    return { name: result.name, value: this.protos.decodeAny(any, typeUrl) };
  }

  _follow(typeUrl) {
    if (typeUrl === TYPE_URLS.listener) {
      const names = [];
      for (const r of this.resources(TYPE_URLS.listener).values()) {
        for (const hcm of httpConnectionManagers(r.value)) if (hcm.rds) names.push(hcm.rds.route_config_name);
      }
      this._subscribeIfAny(TYPE_URLS.route, names);
    } else if (typeUrl === TYPE_URLS.route) {
      const names = [];
      for (const r of this.resources(TYPE_URLS.route).values()) {
        for (const vh of r.value.virtual_hosts || []) for (const route of vh.routes || []) names.push(...routeClusters(route));
      }
      this._subscribeIfAny(TYPE_URLS.cluster, names);
    } else if (typeUrl === TYPE_URLS.cluster) {
      const names = [...this.resources(TYPE_URLS.cluster).values()].map((r) => edsName(r.value));
      this._subscribeIfAny(TYPE_URLS.endpoint, names);
    }
  }

  /** Like grpc-js-xds: a type is only asked for once some name of it is wanted. */
  _subscribeIfAny(typeUrl, names) {
    if (names.length > 0 || this.state(typeUrl).subscribed) this.subscribe(typeUrl, names);
  }
}

module.exports = { GrpcLikeProbe, PROBE_USER_AGENT };
