'use strict';

// An ADS client that subscribes the way Envoy does, and reads every resource with Envoy's
// canonical protos:
//   - node.user_agent_name "envoy", sent on the first request only;
//   - CDS and LDS as wildcards;
//   - then EDS for the EDS clusters it got, and RDS for the route configs its listeners name;
//   - every resource is decoded (with every Any inside it), then ACKed; a resource that does not
//     decode is NACKed with the decoder's error.
// `problems()` follows every reference (listener -> route config -> clusters -> endpoints) and
// lists what does not resolve.

const { AdsClient, TYPE_URLS } = require('./ads-client');

const HCM_TYPE = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const ROUTER_TYPE = 'envoy.extensions.filters.http.router.v3.Router';

class EnvoyLikeClient extends AdsClient {
  /**
   * @param {object} options
   * @param {string} options.target host:port of the ADS server
   * @param {'sotw'|'delta'} options.protocol
   * @param {string} [options.nodeId]
   * @param {'legacy'|'explicit'} [options.wildcard]
   * @param {(typeUrl: string, name: string, value: object) => string|null} [options.reject] Envoy's own
   *   validation stand-in: the error for a resource Envoy would reject, or null. A response with one is
   *   NACKed; like Envoy, the client still applies the valid resources of that response.
   */
  constructor({ target, protocol, nodeId = `envoy-like-${protocol}-${process.pid}`, wildcard = 'legacy', reject = null }) {
    super({
      target,
      protocol,
      wildcard,
      node: {
        id: nodeId,
        cluster: 'interop',
        user_agent_name: 'envoy',
        user_agent_build_version: { version: { major_number: 1, minor_number: 36, patch: 0 } },
      },
      validate: (typeUrl, any) => this._decode(typeUrl, any),
    });
    this.nodeId = nodeId;
    this.reject = reject;
    this.on('update', (typeUrl) => this._follow(typeUrl));
  }

  /** Opens the stream and subscribes to CDS and LDS as wildcards. */
  start() {
    super.start();
    this.subscribe(TYPE_URLS.cluster, null);
    this.subscribe(TYPE_URLS.listener, null);
    return this;
  }

  _decode(typeUrl, any) {
    const value = this.protos.decodeAny(any, typeUrl);
    const name = typeUrl === TYPE_URLS.endpoint ? value.cluster_name : value.name;
    if (!name) throw new Error(`a ${value['@type']} without a name`);
    const problem = this.reject ? this.reject(typeUrl, name, value) : null;
    return problem ? { name, error: problem } : { name, value };
  }

  _follow(typeUrl) {
    if (typeUrl === TYPE_URLS.cluster) {
      const names = this.clusters().filter(isEdsCluster).map(edsName);
      if (names.length > 0 || this.state(TYPE_URLS.endpoint).subscribed) this.subscribe(TYPE_URLS.endpoint, names);
    } else if (typeUrl === TYPE_URLS.listener) {
      const names = [];
      for (const listener of this.listeners()) {
        for (const hcm of httpConnectionManagers(listener)) if (hcm.rds) names.push(hcm.rds.route_config_name);
      }
      if (names.length > 0 || this.state(TYPE_URLS.route).subscribed) this.subscribe(TYPE_URLS.route, names);
    }
  }

  clusters() {
    return [...this.resources(TYPE_URLS.cluster).values()].map((r) => r.value);
  }

  endpoints() {
    return [...this.resources(TYPE_URLS.endpoint).values()].map((r) => r.value);
  }

  listeners() {
    return [...this.resources(TYPE_URLS.listener).values()].map((r) => r.value);
  }

  routeConfigs() {
    return [...this.resources(TYPE_URLS.route).values()].map((r) => r.value);
  }

  cluster(name) {
    const r = this.resources(TYPE_URLS.cluster).get(name);
    return r ? r.value : undefined;
  }

  loadAssignment(name) {
    const r = this.resources(TYPE_URLS.endpoint).get(name);
    return r ? r.value : undefined;
  }

  /** Every route, with the virtual host and route config it sits in. */
  routes() {
    const out = [];
    for (const rc of this.routeConfigs()) {
      for (const vh of rc.virtual_hosts || []) {
        for (const route of vh.routes || []) out.push({ routeConfig: rc, virtualHost: vh, route });
      }
    }
    return out;
  }

  route(name) {
    return this.routes().find((r) => r.route.name === name);
  }

  /** Lists every reference that does not resolve, and every NACK this client had to send. */
  problems() {
    const problems = [];
    for (const [typeUrl, s] of this.types) {
      if (s.lastNack) problems.push(`${typeUrl}: NACKed version ${s.lastNack.version}: ${s.lastNack.error}`);
    }
    const clusterNames = new Set(this.resources(TYPE_URLS.cluster).keys());
    for (const cluster of this.clusters()) {
      if (isEdsCluster(cluster)) {
        if (!cluster.eds_cluster_config.eds_config || !cluster.eds_cluster_config.eds_config.ads) {
          problems.push(`cluster ${cluster.name}: eds_config is not {ads: {}}`);
        }
        if (!this.loadAssignment(edsName(cluster))) problems.push(`cluster ${cluster.name}: no ClusterLoadAssignment ${edsName(cluster)}`);
      }
    }
    const routeConfigNames = new Set(this.resources(TYPE_URLS.route).keys());
    for (const listener of this.listeners()) {
      if (listener.api_listener) problems.push(`listener ${listener.name}: an api_listener (the gRPC variant) was sent to an Envoy node`);
      const hcms = httpConnectionManagers(listener);
      if (hcms.length === 0) problems.push(`listener ${listener.name}: no HttpConnectionManager`);
      for (const hcm of hcms) {
        problems.push(...httpFilterProblems(`listener ${listener.name}`, hcm));
        if (hcm.rds) {
          if (!hcm.rds.config_source || !hcm.rds.config_source.ads) problems.push(`listener ${listener.name}: rds.config_source is not {ads: {}}`);
          if (!routeConfigNames.has(hcm.rds.route_config_name)) {
            problems.push(`listener ${listener.name}: RouteConfiguration ${hcm.rds.route_config_name} is not served`);
          }
        } else if (!hcm.route_config) {
          problems.push(`listener ${listener.name}: HCM has neither rds nor route_config`);
        }
      }
    }
    for (const { routeConfig, route } of this.routes()) {
      const where = `route config ${routeConfig.name}, route ${route.name}`;
      if (!route.route) {
        problems.push(`${where}: action is ${route.action}, not route`);
        continue;
      }
      for (const name of routeClusters(route)) {
        if (!clusterNames.has(name)) problems.push(`${where}: cluster ${name} is not served`);
      }
    }
    return problems;
  }
}

function isEdsCluster(cluster) {
  return cluster.type === 'EDS';
}

function edsName(cluster) {
  return (cluster.eds_cluster_config && cluster.eds_cluster_config.service_name) || cluster.name;
}

/** The decoded HttpConnectionManagers of a listener (filter chains and default chain). */
function httpConnectionManagers(listener) {
  const chains = [...(listener.filter_chains || [])];
  if (listener.default_filter_chain) chains.push(listener.default_filter_chain);
  const out = [];
  for (const chain of chains) {
    for (const filter of chain.filters || []) {
      if (filter.typed_config && filter.typed_config['@type'] === HCM_TYPE) out.push(filter.typed_config);
    }
  }
  if (listener.api_listener && listener.api_listener.api_listener) {
    const hcm = listener.api_listener.api_listener;
    if (hcm['@type'] === HCM_TYPE) out.push(hcm);
  }
  return out;
}

function httpFilterProblems(where, hcm) {
  const problems = [];
  const filters = hcm.http_filters || [];
  if (filters.length === 0) return [`${where}: HCM has no http_filters (the router is missing)`];
  const last = filters[filters.length - 1];
  if (!last.typed_config || last.typed_config['@type'] !== ROUTER_TYPE) problems.push(`${where}: the last http filter is ${last.name}, not the router`);
  filters.slice(0, -1).forEach((f) => {
    if (f.typed_config && f.typed_config['@type'] === ROUTER_TYPE) problems.push(`${where}: the router is not the last http filter`);
  });
  const names = filters.map((f) => f.name);
  if (new Set(names).size !== names.length) problems.push(`${where}: duplicate http filter names ${names.join(',')}`);
  return problems;
}

/** The cluster names a route sends traffic to. */
function routeClusters(route) {
  const action = route.route;
  if (!action) return [];
  if (action.cluster) return [action.cluster];
  if (action.weighted_clusters) return (action.weighted_clusters.clusters || []).map((c) => c.name);
  return [];
}

/** Weighted clusters of a route as {name: weight}, or {cluster: 100} for a single cluster. */
function routeWeights(route) {
  const action = route.route;
  if (action.weighted_clusters) {
    return Object.fromEntries(
      // A UInt32Value of 0 decodes as {} (proto3 leaves zero out).
      action.weighted_clusters.clusters.map((c) => [c.name, c.weight ? Number(c.weight.value || 0) : 0]),
    );
  }
  return action.cluster ? { [action.cluster]: 100 } : {};
}

/** The endpoints of a ClusterLoadAssignment as "address:port" strings. */
function endpointAddresses(cla) {
  const out = [];
  for (const locality of cla.endpoints || []) {
    for (const lb of locality.lb_endpoints || []) {
      const sa = lb.endpoint && lb.endpoint.address && lb.endpoint.address.socket_address;
      if (sa) out.push(`${sa.address}:${sa.port_value}`);
    }
  }
  return out.sort();
}

module.exports = {
  EnvoyLikeClient,
  HCM_TYPE,
  ROUTER_TYPE,
  httpConnectionManagers,
  routeClusters,
  routeWeights,
  endpointAddresses,
  edsName,
};
