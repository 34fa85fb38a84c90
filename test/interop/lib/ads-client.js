'use strict';

// A raw ADS client that speaks to the ALB's XDS port with Envoy's canonical messages, in either
// protocol: state of the world (StreamAggregatedResources) or delta (DeltaAggregatedResources).
//
// It keeps, per type URL, what it subscribed to, the resources it accepted, the last accepted
// version and nonce, and a log of every response it received. Whether a resource is accepted is
// up to the `validate(typeUrl, any)` callback: it returns {name, value} or {name, error}. A
// response with any error is NACKed (error_detail set), otherwise ACKed, as the xDS protocol says.
//
// Subclasses decide what to subscribe to (envoy-like-client.js, grpc-like-probe.js).

const { EventEmitter } = require('node:events');
const grpc = require('@grpc/grpc-js');
const { canonicalProtos, TYPE_URLS } = require('./envoy-protos');
const { EVENT_TIMEOUT_MS, waitForEvent } = require('./wait');

const ADS_SERVICE = '/envoy.service.discovery.v3.AggregatedDiscoveryService';
const TO_OBJECT = { keepCase: true, longs: String, enums: String, bytes: Buffer, defaults: true, oneofs: true };
const UNAVAILABLE = 14;

class TypeState {
  constructor(typeUrl) {
    this.typeUrl = typeUrl;
    /** Subscribed names; null means a wildcard subscription. */
    this.names = null;
    this.subscribed = false;
    /** SotW: the last version this client accepted (sent back as version_info). */
    this.version = '';
    this.nonce = '';
    /** Accepted resources by name: {name, version, value, any}. */
    this.resources = new Map();
    /** The last NACK this client sent: {version, nonce, error}. */
    this.lastNack = null;
  }
}

class AdsClient extends EventEmitter {
  /**
   * @param {object} options
   * @param {string} options.target host:port of the ADS server
   * @param {'sotw'|'delta'} options.protocol
   * @param {object} options.node envoy.config.core.v3.Node as a plain object
   * @param {(typeUrl: string, any: object) => {name: string, value?: any, error?: string}} options.validate
   * @param {'legacy'|'explicit'} [options.wildcard] how to ask for a wildcard: no names (legacy) or "*"
   */
  constructor({ target, protocol, node, validate, wildcard = 'legacy' }) {
    super();
    if (protocol !== 'sotw' && protocol !== 'delta') throw new Error(`unknown protocol ${protocol}`);
    this.target = target;
    this.protocol = protocol;
    this.node = node;
    this.validate = validate;
    this.wildcard = wildcard;
    this.protos = canonicalProtos();
    this.types = new Map();
    /** Every response received: {typeUrl, version, nonce, names, removed, at}. */
    this.responses = [];
    /** Every request sent (plain objects). */
    this.requests = [];
    this.sentNode = false;
    this.ended = false;
    this.streamError = null;
    this.client = null;
    this.call = null;
  }

  state(typeUrl) {
    if (!this.types.has(typeUrl)) this.types.set(typeUrl, new TypeState(typeUrl));
    return this.types.get(typeUrl);
  }

  /** Opens the stream. Nothing is requested until subscribe(). */
  start() {
    const reqType = this.protos.type(
      this.protocol === 'sotw'
        ? 'envoy.service.discovery.v3.DiscoveryRequest'
        : 'envoy.service.discovery.v3.DeltaDiscoveryRequest',
    );
    const resType = this.protos.type(
      this.protocol === 'sotw'
        ? 'envoy.service.discovery.v3.DiscoveryResponse'
        : 'envoy.service.discovery.v3.DeltaDiscoveryResponse',
    );
    const method = this.protocol === 'sotw' ? 'StreamAggregatedResources' : 'DeltaAggregatedResources';
    this.client = new grpc.Client(this.target, grpc.credentials.createInsecure());
    this.call = this.client.makeBidiStreamRequest(
      `${ADS_SERVICE}/${method}`,
      (obj) => Buffer.from(reqType.encode(reqType.fromObject(obj)).finish()),
      (buf) => resType.toObject(resType.decode(buf), TO_OBJECT),
    );
    this.call.on('data', (response) => {
      try {
        if (this.protocol === 'sotw') this._onSotwResponse(response);
        else this._onDeltaResponse(response);
      } catch (err) {
        this._fail(err);
      }
    });
    this.call.on('error', (err) => {
      if (err.code !== grpc.status.CANCELLED || !this.ended) this._fail(err);
    });
    this.call.on('end', () => {
      if (!this.ended) this._fail(new Error('the ADS server ended the stream'));
    });
    return this;
  }

  _fail(err) {
    if (this.streamError) return;
    this.streamError = err;
    this.emit('stream-error', err);
  }

  _send(request) {
    if (!this.sentNode) {
      // Like Envoy with set_node_on_first_message_only, and like gRPC: the node goes on the
      // first request of the stream only.
      request.node = this.node;
      this.sentNode = true;
    }
    this.requests.push(request);
    this.call.write(request);
  }

  /**
   * Sets the subscription for a type: `names` = null for a wildcard, else explicit names. Sends a
   * request only if the subscription changed (or this is the first for the type).
   */
  subscribe(typeUrl, names) {
    const s = this.state(typeUrl);
    const next = names === null ? null : [...new Set(names)].sort();
    const same =
      s.subscribed &&
      ((s.names === null && next === null) ||
        (s.names !== null && next !== null && s.names.join('\n') === next.join('\n')));
    if (same) return;
    const previous = s.names;
    const wasSubscribed = s.subscribed;
    s.names = next;
    s.subscribed = true;
    if (this.protocol === 'sotw') {
      this._send({
        type_url: typeUrl,
        version_info: s.version,
        response_nonce: s.nonce,
        resource_names: next === null ? (this.wildcard === 'explicit' ? ['*'] : []) : next,
      });
      // SotW: what is no longer asked for is forgotten.
      if (next !== null) for (const name of [...s.resources.keys()]) if (!next.includes(name)) s.resources.delete(name);
    } else {
      const before = new Set(wasSubscribed ? (previous === null ? ['*'] : previous) : []);
      const after = new Set(next === null ? ['*'] : next);
      const subscribe = [...after].filter((n) => !before.has(n));
      const unsubscribe = [...before].filter((n) => !after.has(n));
      const request = { type_url: typeUrl, resource_names_subscribe: subscribe, resource_names_unsubscribe: unsubscribe };
      if (!wasSubscribed && next === null && this.wildcard === 'legacy') request.resource_names_subscribe = [];
      if (!wasSubscribed && s.resources.size > 0) {
        request.initial_resource_versions = Object.fromEntries([...s.resources].map(([n, r]) => [n, r.version]));
      }
      this._send(request);
      for (const name of unsubscribe) s.resources.delete(name);
    }
  }

  _decodeAll(typeUrl, anys) {
    const accepted = [];
    const errors = [];
    anys.forEach((any, index) => {
      let result;
      try {
        result = this.validate(typeUrl, any);
      } catch (err) {
        result = { name: undefined, error: err.message };
      }
      if (result.error) errors.push(`resource index ${index}: ${result.error}`);
      else accepted.push({ ...result, any, index });
    });
    return { accepted, errors };
  }

  _onSotwResponse(response) {
    const typeUrl = response.type_url;
    const s = this.state(typeUrl);
    const resources = response.resources || [];
    for (const any of resources) {
      if (any.type_url !== typeUrl) throw new Error(`a ${typeUrl} response carries an Any of type ${any.type_url}`);
    }
    const { accepted, errors } = this._decodeAll(typeUrl, resources);
    this.responses.push({
      typeUrl,
      version: response.version_info,
      nonce: response.nonce,
      names: accepted.map((r) => r.name),
      errors,
      at: Date.now(),
    });
    s.nonce = response.nonce;
    const fullState = typeUrl === TYPE_URLS.listener || typeUrl === TYPE_URLS.cluster;
    if (errors.length === 0 || accepted.length > 0) {
      // Like gRPC: valid resources in a partly invalid response are still applied.
      if (fullState) {
        const seen = new Set(accepted.map((r) => r.name));
        for (const name of [...s.resources.keys()]) if (!seen.has(name)) s.resources.delete(name);
      }
      for (const r of accepted) s.resources.set(r.name, { name: r.name, version: response.version_info, value: r.value, any: r.any });
      s.version = response.version_info;
    }
    if (errors.length === 0) {
      s.lastNack = null;
      this._send({ type_url: typeUrl, version_info: s.version, response_nonce: s.nonce, resource_names: this._sotwNames(s) });
    } else {
      const error = `xDS response validation errors: [${errors.join('; ')}]`;
      s.lastNack = { version: response.version_info, nonce: response.nonce, error };
      this._send({
        type_url: typeUrl,
        version_info: s.version,
        response_nonce: s.nonce,
        resource_names: this._sotwNames(s),
        error_detail: { code: UNAVAILABLE, message: error },
      });
    }
    this.emit('update', typeUrl);
  }

  _sotwNames(s) {
    if (s.names !== null) return s.names;
    return this.wildcard === 'explicit' ? ['*'] : [];
  }

  _onDeltaResponse(response) {
    const typeUrl = response.type_url;
    const s = this.state(typeUrl);
    const items = response.resources || [];
    for (const item of items) {
      if (!item.resource || item.resource.type_url !== typeUrl) {
        throw new Error(`a ${typeUrl} delta response carries ${item.name} with type ${item.resource && item.resource.type_url}`);
      }
    }
    const { accepted, errors } = this._decodeAll(
      typeUrl,
      items.map((i) => i.resource),
    );
    const removed = response.removed_resources || [];
    this.responses.push({
      typeUrl,
      version: response.system_version_info,
      nonce: response.nonce,
      names: items.map((i) => i.name),
      removed,
      errors,
      at: Date.now(),
    });
    s.nonce = response.nonce;
    // Like Envoy (and gRPC), the valid resources of a partly invalid response are applied anyway.
    for (const r of accepted) {
      const item = items[r.index];
      if (r.name !== item.name) throw new Error(`delta resource named ${item.name} decodes as ${r.name}`);
      s.resources.set(item.name, { name: item.name, version: item.version, value: r.value, any: r.any });
    }
    for (const name of removed) s.resources.delete(name);
    if (errors.length === 0) {
      s.lastNack = null;
      this._send({ type_url: typeUrl, response_nonce: response.nonce });
    } else {
      const error = `xDS response validation errors: [${errors.join('; ')}]`;
      s.lastNack = { version: response.system_version_info, nonce: response.nonce, error };
      this._send({ type_url: typeUrl, response_nonce: response.nonce, error_detail: { code: UNAVAILABLE, message: error } });
    }
    this.emit('update', typeUrl);
  }

  /** Accepted resources of a type, by name. */
  resources(typeUrl) {
    return this.state(typeUrl).resources;
  }

  /** Responses received for a type. */
  responsesFor(typeUrl) {
    return this.responses.filter((r) => r.typeUrl === typeUrl);
  }

  /** Waits until check() is truthy, re-checking after every response; fails on a stream error. */
  waitFor(check, what, timeoutMs = EVENT_TIMEOUT_MS) {
    const guarded = () => {
      if (this.streamError) throw this.streamError;
      return check();
    };
    return waitForEvent(this, 'update', guarded, timeoutMs, what, ['stream-error']);
  }

  close() {
    this.ended = true;
    if (this.call) this.call.cancel();
    if (this.client) this.client.close();
  }
}

module.exports = { AdsClient, TypeState, TYPE_URLS, UNAVAILABLE };
