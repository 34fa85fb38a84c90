'use strict';

// Envoy's canonical v3 protos, as vendored by @grpc/grpc-js-xds (deps/envoy-api, deps/xds,
// deps/googleapis, deps/protoc-gen-validate), loaded with protobufjs. These are NOT our own
// hand-written subset (protos/envoy): decoding what the ALB sends with them proves that the wire
// format is what Envoy itself would read.
//
// `expand` decodes a message and, recursively, every google.protobuf.Any inside it. A type that is
// not loaded yet is found by its package (envoy.a.b.v3.T lives in envoy/a/b/v3/*.proto), so any
// extension the ALB uses is decoded, and an Any of an unknown type is an error.

const fs = require('node:fs');
const path = require('node:path');
const protobuf = require('protobufjs');

const DEPS_DIR = path.join(__dirname, '..', 'node_modules', '@grpc', 'grpc-js-xds', 'deps');
const SEARCH_DIRS = ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => path.join(DEPS_DIR, d));
const PROTOBUFJS_DIR = path.dirname(require.resolve('protobufjs/package.json'));
const TYPE_URL_PREFIX = 'type.googleapis.com/';

const TYPE_URLS = Object.freeze({
  cluster: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  endpoint: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  listener: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  route: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
});

const BASE_FILES = [
  'envoy/service/discovery/v3/ads.proto',
  'envoy/service/discovery/v3/discovery.proto',
  'envoy/config/cluster/v3/cluster.proto',
  'envoy/config/endpoint/v3/endpoint.proto',
  'envoy/config/listener/v3/listener.proto',
  'envoy/config/route/v3/route.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
  'envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit.proto',
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
  'envoy/extensions/transport_sockets/tls/v3/tls.proto',
];

const TO_OBJECT = { keepCase: true, longs: String, enums: String, bytes: Buffer, defaults: false, oneofs: true };

function resolveImport(target) {
  for (const dir of [...SEARCH_DIRS, PROTOBUFJS_DIR]) {
    const candidate = path.join(dir, target);
    if (fs.existsSync(candidate)) return candidate;
  }
  // Let protobufjs fail with the path in its message.
  return path.join(SEARCH_DIRS[0], target);
}

class CanonicalProtos {
  constructor() {
    this.root = new protobuf.Root();
    this.root.resolvePath = (origin, target) => (path.isAbsolute(target) ? target : resolveImport(target));
    this.loadedFiles = new Set();
    this._load(BASE_FILES);
  }

  _load(relFiles) {
    const fresh = relFiles.filter((f) => !this.loadedFiles.has(f));
    if (fresh.length === 0) return;
    this.root.loadSync(
      fresh.map((f) => resolveImport(f)),
      { keepCase: true },
    );
    this.root.resolveAll();
    for (const f of fresh) this.loadedFiles.add(f);
  }

  /** The canonical Type for a full name, loading its package's files on demand; null if none. */
  findType(fullName) {
    const existing = this._lookup(fullName);
    if (existing) return existing;
    const parts = fullName.split('.');
    // Try the longest package prefix that is a folder of .proto files.
    for (let n = parts.length - 1; n > 0; n--) {
      const rel = parts.slice(0, n).join('/');
      for (const dir of SEARCH_DIRS) {
        const abs = path.join(dir, rel);
        if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) continue;
        const files = fs
          .readdirSync(abs)
          .filter((f) => f.endsWith('.proto'))
          .map((f) => `${rel}/${f}`);
        if (files.length === 0) continue;
        this._load(files);
        const found = this._lookup(fullName);
        if (found) return found;
      }
    }
    return null;
  }

  _lookup(fullName) {
    try {
      const found = this.root.lookup(fullName);
      return found instanceof protobuf.Type ? found : null;
    } catch {
      return null;
    }
  }

  /** Same as findType, but throws if the type is unknown to Envoy's API. */
  type(fullName) {
    const t = this.findType(fullName);
    if (!t) throw new Error(`${fullName} is not a type in Envoy's canonical protos`);
    return t;
  }

  /** Decodes bytes as `fullName` and expands every Any inside. */
  decode(fullName, bytes) {
    const t = this.type(fullName);
    const message = t.decode(bytes);
    const err = t.verify(message);
    if (err) throw new Error(`${fullName}: ${err}`);
    return this._expand(t, t.toObject(message, TO_OBJECT), fullName);
  }

  /** Decodes a google.protobuf.Any ({type_url, value}) with its canonical type. */
  decodeAny(any, where = 'Any') {
    if (!any || typeof any.type_url !== 'string') throw new Error(`${where}: not an Any`);
    if (!any.type_url.startsWith(TYPE_URL_PREFIX)) {
      throw new Error(`${where}: type_url ${any.type_url} does not start with ${TYPE_URL_PREFIX}`);
    }
    const name = any.type_url.slice(TYPE_URL_PREFIX.length);
    const decoded = this.decode(name, any.value || Buffer.alloc(0));
    return { '@type': name, ...decoded };
  }

  /** Walks an object produced by toObject and replaces each Any with its decoded, expanded form. */
  _expand(type, obj, where) {
    for (const field of type.fieldsArray) {
      const value = obj[field.name];
      if (value === undefined || value === null) continue;
      const resolved = field.resolvedType;
      if (!(resolved instanceof protobuf.Type)) continue;
      const fieldWhere = `${where}.${field.name}`;
      const one = (v, w) =>
        resolved.fullName === '.google.protobuf.Any' ? this.decodeAny(v, w) : this._expand(resolved, v, w);
      if (field.map) {
        for (const key of Object.keys(value)) value[key] = one(value[key], `${fieldWhere}[${key}]`);
      } else if (field.repeated) {
        obj[field.name] = value.map((v, i) => one(v, `${fieldWhere}[${i}]`));
      } else {
        obj[field.name] = one(value, fieldWhere);
      }
    }
    return obj;
  }

  /** Encodes a plain object (snake_case fields) as `fullName`. */
  encode(fullName, object) {
    const t = this.type(fullName);
    return t.encode(t.fromObject(object)).finish();
  }
}

let shared;
/** One loaded set of protos per process (loading takes a moment). */
function canonicalProtos() {
  if (!shared) shared = new CanonicalProtos();
  return shared;
}

/** Reads a google.protobuf.Duration object ({seconds, nanos}) as milliseconds. */
function durationMs(d) {
  if (!d) return null;
  return Number(d.seconds || 0) * 1000 + Number(d.nanos || 0) / 1e6;
}

module.exports = { canonicalProtos, CanonicalProtos, TYPE_URLS, TYPE_URL_PREFIX, DEPS_DIR, durationMs };
