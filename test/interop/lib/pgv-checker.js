'use strict';

// A checker for protoc-gen-validate's (validate.rules), written for this suite: it reads the rules
// from the canonical Envoy protos (protobufjs keeps them in `parsedOptions`) and applies them to a
// decoded message, the way PGV's generated validators do:
//   - scalar rules apply to the field's value, set or not (an unset string is "");
//   - a oneof member's rules apply only when it is the member set; a (validate.required) oneof needs one;
//   - message rules (required) look at presence; a wrapper's number rules apply to its value when set;
//   - google.protobuf.Any is decoded with its canonical type and checked as that type;
//   - a rule kind this checker does not know is an error, so nothing is skipped silently.
// It is independent of the C# checker (src/MarchProxy.ControlPlane/Validation): the two are compared
// on the same resources by pgv-walk.test.js.

const protobuf = require('protobufjs');
const Long = require('long');
const { canonicalProtos, TYPE_URL_PREFIX } = require('./envoy-protos');

const HEADER_NAME = /^:?[0-9a-zA-Z!#$%&'*+\-.^_|~`]+$/;
const HEADER_VALUE = /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/;
const HEADER_LOOSE = /^[^\u0000\u000A\u000D]*$/;
const NUMBER_TYPES = new Set(['uint32', 'uint64', 'int32', 'int64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'double', 'float']);
const WRAPPERS = {
  '.google.protobuf.UInt32Value': 'uint32',
  '.google.protobuf.UInt64Value': 'uint64',
  '.google.protobuf.Int32Value': 'int32',
  '.google.protobuf.Int64Value': 'int64',
  '.google.protobuf.DoubleValue': 'double',
  '.google.protobuf.FloatValue': 'float',
  '.google.protobuf.BoolValue': 'bool',
  '.google.protobuf.StringValue': 'string',
};

/** The (validate.rules) object of a field, or null. */
function fieldRules(field) {
  for (const option of field.parsedOptions || []) {
    if (Object.prototype.hasOwnProperty.call(option, '(validate.rules)')) return option['(validate.rules)'];
  }
  return null;
}

function oneofRequired(oneof) {
  return Boolean(oneof.options && oneof.options['(validate.required)']);
}

/** Total nanoseconds of a Duration-like object ({seconds, nanos}, possibly empty). */
function nanos(duration) {
  const seconds = duration && duration.seconds !== undefined ? BigInt(String(duration.seconds)) : 0n;
  const n = duration && duration.nanos !== undefined ? BigInt(duration.nanos) : 0n;
  return seconds * 1000000000n + n;
}

function toNumber(value) {
  if (Long.isLong(value)) return BigInt(value.toString());
  if (typeof value === 'string') return BigInt(value);
  return value;
}

class PgvChecker {
  constructor(protos = canonicalProtos()) {
    this.protos = protos;
    this.checks = 0;
  }

  /** Checks `bytes` as the canonical `fullName`; returns [{path, message}]. */
  checkBytes(fullName, bytes) {
    const type = this.protos.type(fullName);
    return this.checkMessage(type, type.decode(bytes));
  }

  /** Checks a decoded protobufjs message of `type`. */
  checkMessage(type, message, path = '') {
    const violations = [];
    this._message(type, message, path, violations);
    return violations;
  }

  _message(type, message, path, out) {
    for (const oneof of type.oneofsArray) {
      if (oneofRequired(oneof)) {
        this.checks++;
        if (!oneof.oneof.some((name) => this._present(message, type.fields[name]))) {
          out.push({ path: join(path, oneof.name), message: `one of ${type.name}.${oneof.name} must be set` });
        }
      }
    }
    for (const field of type.fieldsArray) {
      field.resolve();
      const rules = fieldRules(field);
      const fieldPath = join(path, field.name);
      if (field.partOf && !this._present(message, field)) continue;
      const value = message[field.name];
      if (field.map) {
        this._map(field, rules, value || {}, fieldPath, out);
      } else if (field.repeated) {
        this._repeated(field, rules, value || [], fieldPath, out);
      } else {
        this._value(field, rules, this._present(message, field) ? value : undefined, fieldPath, out);
      }
    }
  }

  _present(message, field) {
    if (!field) return false;
    if (field.partOf) {
      return message[field.partOf.name] === field.name;
    }
    return Object.prototype.hasOwnProperty.call(message, field.name) && message[field.name] !== null;
  }

  _map(field, rules, map, path, out) {
    const keys = Object.keys(map);
    if (rules && rules.map) {
      const r = rules.map;
      this._known(r, ['min_pairs', 'max_pairs', 'keys', 'values', 'no_sparse', 'ignore_empty'], path);
      this.checks++;
      if (r.min_pairs !== undefined && keys.length < r.min_pairs) out.push({ path, message: `needs at least ${r.min_pairs} pairs` });
      if (r.max_pairs !== undefined && keys.length > r.max_pairs) out.push({ path, message: `has more than ${r.max_pairs} pairs` });
      if (r.keys) for (const key of keys) this._scalarRules(field.keyType, r.keys, key, `${path}[${key}]`, out);
    }
    for (const key of keys) {
      this._value(field, rules && rules.map ? rules.map.values : null, map[key], `${path}[${key}]`, out, true);
    }
  }

  _repeated(field, rules, items, path, out) {
    const r = rules && rules.repeated;
    if (r) {
      this._known(r, ['min_items', 'max_items', 'unique', 'items', 'ignore_empty'], path);
      this.checks++;
      if (r.min_items !== undefined && items.length < Number(r.min_items)) out.push({ path, message: `needs at least ${r.min_items} items` });
      if (r.max_items !== undefined && items.length > Number(r.max_items)) out.push({ path, message: `has more than ${r.max_items} items` });
      if (r.unique && new Set(items.map((i) => JSON.stringify(i))).size !== items.length) out.push({ path, message: 'items must be unique' });
    }
    items.forEach((item, i) => this._value(field, r ? r.items : null, item, `${path}[${i}]`, out, true));
  }

  /** One value of a field (`present` says whether it was set; an unset scalar is its default). */
  _value(field, rules, value, path, out, element = false) {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) {
      this._messageValue(resolved, rules, value, path, out);
      return;
    }
    if (!rules) return;
    if (resolved instanceof protobuf.Enum) {
      this._enum(resolved, rules, value === undefined ? 0 : value, path, out);
      return;
    }
    const scalar = value === undefined && !element ? defaultOf(field.type) : value;
    this._scalarRules(field.type, rules, scalar, path, out);
  }

  _messageValue(type, rules, value, path, out) {
    const present = value !== undefined && value !== null;
    if (rules) {
      this._known(rules, ['message', 'duration', 'any', 'timestamp', ...Object.values(WRAPPERS)], path);
      if (rules.message) {
        this._known(rules.message, ['required', 'skip'], path);
        this.checks++;
        if (rules.message.required && !present) out.push({ path, message: 'is required' });
        if (rules.message.skip) return;
      }
    }
    if (type.fullName === '.google.protobuf.Duration') {
      if (rules && rules.duration) this._duration(rules.duration, present ? value : null, path, out);
      return;
    }
    if (type.fullName === '.google.protobuf.Any') {
      if (rules && rules.any) {
        this._known(rules.any, ['required', 'in', 'not_in'], path);
        this.checks++;
        if (rules.any.required && !present) out.push({ path, message: 'is required' });
      }
      if (present) this._any(value, path, out);
      return;
    }
    if (WRAPPERS[type.fullName]) {
      const kind = WRAPPERS[type.fullName];
      if (present && rules && rules[kind]) this._scalarRules(kind, rules, value.value === undefined ? defaultOf(kind) : value.value, path, out);
      return;
    }
    if (present) this._message(type, value, path, out);
  }

  _any(any, path, out) {
    const url = any.type_url || any.typeUrl || '';
    if (!url.startsWith(TYPE_URL_PREFIX)) {
      out.push({ path, message: `Any with type_url '${url}'` });
      return;
    }
    const type = this.protos.findType(url.slice(TYPE_URL_PREFIX.length));
    if (!type) {
      out.push({ path, message: `Any of unknown type ${url}` });
      return;
    }
    this._message(type, type.decode(any.value || Buffer.alloc(0)), path, out);
  }

  _enum(type, rules, value, path, out) {
    const r = rules.enum;
    if (!r) return;
    this._known(r, ['defined_only', 'in', 'not_in', 'const'], path);
    this.checks++;
    if (r.defined_only && type.valuesById[value] === undefined) out.push({ path, message: `${value} is not a defined ${type.name}` });
    const notIn = r.not_in === undefined ? [] : [].concat(r.not_in);
    if (notIn.includes(value)) out.push({ path, message: `${value} is not allowed` });
    const allowed = r.in === undefined ? null : [].concat(r.in);
    if (allowed && !allowed.includes(value)) out.push({ path, message: `${value} is not one of ${allowed}` });
    if (r.const !== undefined && value !== r.const) out.push({ path, message: `must be ${r.const}` });
  }

  _duration(r, value, path, out) {
    this._known(r, ['required', 'const', 'lt', 'lte', 'gt', 'gte', 'in', 'not_in'], path);
    this.checks++;
    if (!value) {
      if (r.required) out.push({ path, message: 'is required' });
      return;
    }
    const n = nanos(value);
    if (r.gt !== undefined && !(n > nanos(r.gt))) out.push({ path, message: `must be > ${nanos(r.gt)} ns` });
    if (r.gte !== undefined && !(n >= nanos(r.gte))) out.push({ path, message: `must be >= ${nanos(r.gte)} ns` });
    if (r.lt !== undefined && !(n < nanos(r.lt))) out.push({ path, message: `must be < ${nanos(r.lt)} ns` });
    if (r.lte !== undefined && !(n <= nanos(r.lte))) out.push({ path, message: `must be <= ${nanos(r.lte)} ns` });
    if (r.const !== undefined && n !== nanos(r.const)) out.push({ path, message: `must be ${nanos(r.const)} ns` });
  }

  _scalarRules(type, rules, value, path, out) {
    const kinds = Object.keys(rules);
    for (const kind of kinds) {
      const r = rules[kind];
      if (kind === 'string') {
        this._string(r, value === undefined ? '' : value, path, out);
      } else if (NUMBER_TYPES.has(kind)) {
        this._number(r, value === undefined ? 0 : value, path, out);
      } else if (kind === 'bool') {
        this._known(r, ['const'], path);
        this.checks++;
        if (r.const !== undefined && Boolean(value) !== r.const) out.push({ path, message: `must be ${r.const}` });
      } else if (kind === 'bytes') {
        this._known(r, ['min_len', 'max_len', 'len'], path);
        this.checks++;
        const length = value ? value.length : 0;
        if (r.min_len !== undefined && length < Number(r.min_len)) out.push({ path, message: `needs at least ${r.min_len} bytes` });
        if (r.max_len !== undefined && length > Number(r.max_len)) out.push({ path, message: `has more than ${r.max_len} bytes` });
      } else {
        throw new Error(`${path}: the walk does not know the rule kind '${kind}' (for a ${type})`);
      }
    }
  }

  _number(r, raw, path, out) {
    this._known(r, ['const', 'lt', 'lte', 'gt', 'gte', 'in', 'not_in', 'ignore_empty'], path);
    this.checks++;
    const value = toNumber(raw);
    const big = typeof value === 'bigint';
    const as = (v) => (big ? BigInt(String(v)) : Number(v));
    if (r.gt !== undefined && !(value > as(r.gt))) out.push({ path, message: `${value} must be > ${r.gt}` });
    if (r.gte !== undefined && !(value >= as(r.gte))) out.push({ path, message: `${value} must be >= ${r.gte}` });
    if (r.lt !== undefined && !(value < as(r.lt))) out.push({ path, message: `${value} must be < ${r.lt}` });
    if (r.lte !== undefined && !(value <= as(r.lte))) out.push({ path, message: `${value} must be <= ${r.lte}` });
    if (r.const !== undefined && value !== as(r.const)) out.push({ path, message: `${value} must be ${r.const}` });
    if (r.in !== undefined && ![].concat(r.in).map(as).includes(value)) out.push({ path, message: `${value} is not allowed` });
    if (r.not_in !== undefined && [].concat(r.not_in).map(as).includes(value)) out.push({ path, message: `${value} is not allowed` });
  }

  _string(r, value, path, out) {
    this._known(r, ['min_len', 'max_len', 'len', 'min_bytes', 'max_bytes', 'len_bytes', 'pattern', 'prefix', 'suffix', 'contains', 'not_contains', 'in', 'not_in', 'well_known_regex', 'strict', 'ignore_empty', 'hostname', 'ip', 'ipv4', 'ipv6', 'address', 'uri', 'uri_ref', 'uuid', 'email'], path);
    this.checks++;
    if (r.ignore_empty && value === '') return;
    const chars = [...value].length;
    const bytes = Buffer.byteLength(value, 'utf8');
    if (r.min_len !== undefined && chars < Number(r.min_len)) out.push({ path, message: `must be at least ${r.min_len} characters` });
    if (r.max_len !== undefined && chars > Number(r.max_len)) out.push({ path, message: `must be at most ${r.max_len} characters` });
    if (r.len !== undefined && chars !== Number(r.len)) out.push({ path, message: `must be ${r.len} characters` });
    if (r.min_bytes !== undefined && bytes < Number(r.min_bytes)) out.push({ path, message: `must be at least ${r.min_bytes} bytes` });
    if (r.max_bytes !== undefined && bytes > Number(r.max_bytes)) out.push({ path, message: `must be at most ${r.max_bytes} bytes` });
    if (r.pattern !== undefined && !new RegExp(r.pattern, 'u').test(value)) out.push({ path, message: `must match ${r.pattern}` });
    if (r.prefix !== undefined && !value.startsWith(r.prefix)) out.push({ path, message: `must start with ${r.prefix}` });
    if (r.suffix !== undefined && !value.endsWith(r.suffix)) out.push({ path, message: `must end with ${r.suffix}` });
    if (r.contains !== undefined && !value.includes(r.contains)) out.push({ path, message: `must contain ${r.contains}` });
    if (r.not_contains !== undefined && value.includes(r.not_contains)) out.push({ path, message: `must not contain ${r.not_contains}` });
    if (r.in !== undefined && ![].concat(r.in).includes(value)) out.push({ path, message: `'${value}' is not one of ${[].concat(r.in)}` });
    if (r.not_in !== undefined && [].concat(r.not_in).includes(value)) out.push({ path, message: `'${value}' is not allowed` });
    if (r.well_known_regex !== undefined) {
      const strict = r.strict === undefined ? true : r.strict;
      const regex = !strict ? HEADER_LOOSE : r.well_known_regex === 'HTTP_HEADER_NAME' ? HEADER_NAME : HEADER_VALUE;
      if (!regex.test(value)) out.push({ path, message: `is not a valid ${r.well_known_regex}${strict ? '' : ' (loose)'}` });
    }
    for (const format of ['hostname', 'ip', 'ipv4', 'ipv6', 'address', 'uri', 'uri_ref', 'uuid', 'email']) {
      if (r[format]) throw new Error(`${path}: the walk does not check the '${format}' format`);
    }
  }

  /** Fails on a rule key this checker does not apply. */
  _known(rules, keys, path) {
    for (const key of Object.keys(rules)) {
      if (!keys.includes(key)) throw new Error(`${path}: the walk does not know the rule '${key}'`);
    }
  }
}

function defaultOf(type) {
  if (type === 'string') return '';
  if (type === 'bool') return false;
  if (type === 'bytes') return Buffer.alloc(0);
  return 0;
}

function join(path, name) {
  return path ? `${path}.${name}` : name;
}

module.exports = { PgvChecker, fieldRules, oneofRequired, nanos };
