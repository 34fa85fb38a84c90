'use strict';

// Wire-compatibility checker: our hand-written subset of Envoy's v3 API (protos/envoy/...)
// against the canonical Envoy protos vendored by @grpc/grpc-js-xds (deps/envoy-api, ...).
//
// For every message, enum and service we define (any package except google.*), the canonical
// definition must exist under the same full name, in the file with the same relative path, and
// of the same kind. Every field we declare must exist in canonical with the same name, number,
// type (resolved full name for message/enum types), label (singular/repeated/map/optional) and
// oneof membership. Every enum value we declare must have the same number in canonical. Every
// rpc we declare must have the same request/response types and streaming flags. Anything we
// leave out is fine: an omitted field is simply unknown to us on the wire.

const fs = require('node:fs');
const path = require('node:path');
const protobuf = require('protobufjs');

const DEPS_DIR = path.join(__dirname, '..', 'node_modules', '@grpc', 'grpc-js-xds', 'deps');
const CANONICAL_API_DIR = path.join(DEPS_DIR, 'envoy-api');
const CANONICAL_SEARCH_DIRS = ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) =>
  path.join(DEPS_DIR, d),
);
// protobufjs bundles any/duration/empty/struct/timestamp/wrappers/field_mask itself; the rest of
// google/protobuf (e.g. descriptor.proto, imported by validate.proto) ships next to it.
const PROTOBUFJS_DIR = path.dirname(require.resolve('protobufjs/package.json'));
// The folders of our protos tree that mirror Envoy's API (protos/marchproxy is our own API).
const MIRRORED_TREES = ['envoy', 'xds', 'udpa'];
const PARSE_OPTIONS = { keepCase: true };

/** Lists `.proto` files (relative, `/`-separated) under `dir/sub` for each mirrored sub-tree. */
function listOurProtoFiles(protosDir) {
  const out = [];
  const walk = (rel) => {
    const abs = path.join(protosDir, rel);
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(childRel);
      else if (entry.isFile() && entry.name.endsWith('.proto')) out.push(childRel);
    }
  };
  for (const tree of MIRRORED_TREES) {
    if (fs.existsSync(path.join(protosDir, tree))) walk(tree);
  }
  return out.sort();
}

function firstExisting(dirs, target) {
  for (const dir of dirs) {
    const candidate = path.join(dir, target);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/** A root whose imports resolve against `searchDirs` (in order), then protobufjs's google/protobuf. */
function newRoot(resolveImport) {
  const root = new protobuf.Root();
  root.resolvePath = (origin, target) => {
    if (path.isAbsolute(target)) return target;
    return resolveImport(target);
  };
  return root;
}

function loadCanonicalRoot(relFiles) {
  const root = newRoot(
    (target) =>
      firstExisting([...CANONICAL_SEARCH_DIRS, PROTOBUFJS_DIR], target) ||
      // Let the load fail loudly with the canonical path in the message.
      path.join(CANONICAL_API_DIR, target),
  );
  root.loadSync(
    relFiles.map((f) => path.join(CANONICAL_API_DIR, f)),
    PARSE_OPTIONS,
  );
  root.resolveAll();
  return root;
}

function loadOurRoot(protosDir, relFiles) {
  const ownTrees = MIRRORED_TREES.map((t) => `${t}/`);
  const root = newRoot((target) => {
    // Imports of the mirrored trees must come from our own tree, never from canonical: a missing
    // file of ours has to fail rather than be silently filled in.
    if (ownTrees.some((t) => target.startsWith(t))) return path.join(protosDir, target);
    const own = firstExisting([protosDir], target);
    if (own) return own;
    // Imports we don't own (e.g. google/rpc/status.proto) come from the canonical googleapis
    // folder (the C# build gets the same file from Google.Api.CommonProtos).
    return (
      firstExisting([path.join(DEPS_DIR, 'googleapis'), PROTOBUFJS_DIR], target) ||
      path.join(protosDir, target)
    );
  });
  root.loadSync(
    relFiles.map((f) => path.join(protosDir, f)),
    PARSE_OPTIONS,
  );
  root.resolveAll();
  return root;
}

const canonicalCache = new Map();
function canonicalRootFor(relFiles) {
  const present = relFiles.filter((f) => fs.existsSync(path.join(CANONICAL_API_DIR, f)));
  const key = present.join('\n');
  if (!canonicalCache.has(key)) canonicalCache.set(key, loadCanonicalRoot(present));
  return canonicalCache.get(key);
}

/** Strict lookup of a dotted full name (no leading dot), walking nested namespaces exactly. */
function lookupExact(root, fullName) {
  let cur = root;
  for (const part of fullName.split('.')) {
    if (!cur || !cur.nested || !Object.prototype.hasOwnProperty.call(cur.nested, part)) return null;
    cur = cur.nested[part];
  }
  return cur;
}

function fullNameOf(obj) {
  return obj.fullName.replace(/^\./, '');
}

function kindOf(obj) {
  if (obj instanceof protobuf.Type) return 'message';
  if (obj instanceof protobuf.Enum) return 'enum';
  if (obj instanceof protobuf.Service) return 'service';
  if (obj instanceof protobuf.Namespace) return 'namespace';
  return obj.constructor.name;
}

function relativeFile(obj, baseDirs) {
  if (!obj.filename) return null;
  const file = path.resolve(obj.filename);
  for (const base of baseDirs) {
    const rel = path.relative(path.resolve(base), file);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  }
  return file;
}

function isProto3Optional(field) {
  return Boolean(field.options && field.options.proto3_optional);
}

function describeType(field) {
  const valueType = field.resolvedType ? fullNameOf(field.resolvedType) : field.type;
  if (field.map) return `map<${field.keyType}, ${valueType}>`;
  return valueType;
}

function describeLabel(field) {
  if (field.map) return 'map';
  if (field.repeated) return 'repeated';
  if (isProto3Optional(field)) return 'optional';
  if (field.required) return 'required';
  return 'singular';
}

function oneofOf(field) {
  if (!field.partOf || isProto3Optional(field)) return null;
  return field.partOf.name;
}

function compareMessage(ours, canon, name, mismatches, stats) {
  for (const field of ours.fieldsArray) {
    stats.fields++;
    const where = `${name}.${field.name}`;
    const cf = canon.fields[field.name];
    if (!cf) {
      const byNumber = canon.fieldsArray.find((f) => f.id === field.id);
      mismatches.push(
        `${where}: field does not exist in canonical` +
          (byNumber ? ` (canonical field #${field.id} is '${byNumber.name}')` : ''),
      );
      continue;
    }
    if (cf.id !== field.id) {
      mismatches.push(`${where}: number ${field.id} != canonical ${cf.id}`);
    }
    const ourType = describeType(field);
    const canonType = describeType(cf);
    if (ourType !== canonType) {
      mismatches.push(`${where}: type ${ourType} != canonical ${canonType}`);
    }
    const ourLabel = describeLabel(field);
    const canonLabel = describeLabel(cf);
    if (ourLabel !== canonLabel) {
      mismatches.push(`${where}: label ${ourLabel} != canonical ${canonLabel}`);
    }
    const ourOneof = oneofOf(field);
    const canonOneof = oneofOf(cf);
    if (ourOneof !== canonOneof) {
      mismatches.push(
        `${where}: oneof ${ourOneof ?? '(none)'} != canonical ${canonOneof ?? '(none)'}`,
      );
    }
  }
}

function compareEnum(ours, canon, name, mismatches, stats) {
  for (const [valueName, number] of Object.entries(ours.values)) {
    stats.enumValues++;
    if (!Object.prototype.hasOwnProperty.call(canon.values, valueName)) {
      mismatches.push(`${name}.${valueName}: enum value does not exist in canonical`);
    } else if (canon.values[valueName] !== number) {
      mismatches.push(
        `${name}.${valueName}: enum number ${number} != canonical ${canon.values[valueName]}`,
      );
    }
  }
}

function compareService(ours, canon, name, mismatches, stats) {
  for (const method of ours.methodsArray) {
    stats.methods++;
    const where = `${name}.${method.name}`;
    const cm = canon.methods[method.name];
    if (!cm) {
      mismatches.push(`${where}: rpc does not exist in canonical`);
      continue;
    }
    const pairs = [
      ['request type', fullNameOf(method.resolvedRequestType), fullNameOf(cm.resolvedRequestType)],
      ['response type', fullNameOf(method.resolvedResponseType), fullNameOf(cm.resolvedResponseType)],
      ['request streaming', Boolean(method.requestStream), Boolean(cm.requestStream)],
      ['response streaming', Boolean(method.responseStream), Boolean(cm.responseStream)],
    ];
    for (const [what, a, b] of pairs) {
      if (a !== b) mismatches.push(`${where}: ${what} ${a} != canonical ${b}`);
    }
  }
}

/**
 * Compares our protos tree with canonical Envoy.
 * @param {string} protosDir root of our protos (the folder holding envoy/...)
 * @returns {{mismatches: string[], stats: object}}
 */
function checkConformance(protosDir) {
  const files = listOurProtoFiles(protosDir);
  const mismatches = [];
  const stats = {
    files: files.length,
    messages: 0,
    enums: 0,
    services: 0,
    fields: 0,
    enumValues: 0,
    methods: 0,
  };
  for (const f of files) {
    if (!fs.existsSync(path.join(CANONICAL_API_DIR, f))) {
      mismatches.push(`${f}: no canonical file at the same relative path`);
    }
  }
  if (files.length === 0) {
    mismatches.push(`${protosDir}: no .proto files found under ${MIRRORED_TREES.join(', ')}`);
    return { mismatches, stats };
  }

  const ours = loadOurRoot(protosDir, files);
  const canon = canonicalRootFor(files);
  const ourBases = [protosDir];
  const canonBases = [CANONICAL_API_DIR, ...CANONICAL_SEARCH_DIRS];

  const visit = (ns) => {
    for (const child of ns.nestedArray) {
      const name = fullNameOf(child);
      if (name === 'google' || name.startsWith('google.')) continue;
      const kind = kindOf(child);
      if (kind === 'namespace') {
        visit(child);
        continue;
      }
      if (kind === 'message') stats.messages++;
      else if (kind === 'enum') stats.enums++;
      else if (kind === 'service') stats.services++;
      else {
        mismatches.push(`${name}: unsupported declaration kind ${kind}`);
        continue;
      }

      const counterpart = lookupExact(canon, name);
      if (!counterpart) {
        mismatches.push(`${name}: ${kind} does not exist in canonical`);
        if (kind === 'message') visit(child);
        continue;
      }
      const canonKind = kindOf(counterpart);
      if (canonKind !== kind) {
        mismatches.push(`${name}: kind ${kind} != canonical ${canonKind}`);
        continue;
      }
      const ourFile = relativeFile(child, ourBases);
      const canonFile = relativeFile(counterpart, canonBases);
      if (ourFile !== canonFile) {
        mismatches.push(`${name}: declared in ${ourFile}, canonical declares it in ${canonFile}`);
      }
      if (kind === 'message') {
        compareMessage(child, counterpart, name, mismatches, stats);
        visit(child);
      } else if (kind === 'enum') {
        compareEnum(child, counterpart, name, mismatches, stats);
      } else {
        compareService(child, counterpart, name, mismatches, stats);
      }
    }
  };
  visit(ours);
  return { mismatches, stats };
}

/** Both roots for `protosDir` (ours and canonical), e.g. for wire round-trip tests. */
function loadRoots(protosDir) {
  const files = listOurProtoFiles(protosDir);
  return { ours: loadOurRoot(protosDir, files), canonical: canonicalRootFor(files) };
}

/** Convenience: just the list of mismatch strings. */
function findMismatches(protosDir) {
  return checkConformance(protosDir).mismatches;
}

module.exports = {
  checkConformance,
  findMismatches,
  listOurProtoFiles,
  loadRoots,
  CANONICAL_API_DIR,
  DEPS_DIR,
};
