'use strict';

// A promise-based client for MarchProxy's ModuleService, loaded at run time from the repository's
// own contract (protos/marchproxy/module_service.proto), so the suite always speaks the current
// proto.

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const { canonicalProtos } = require('./envoy-protos');

const MODULE_PROTO = path.join(__dirname, '..', '..', '..', 'protos', 'marchproxy', 'module_service.proto');
const CALL_TIMEOUT_MS = 30_000;

let modulePackage;
function loadModuleService() {
  if (!modulePackage) {
    const definition = protoLoader.loadSync(MODULE_PROTO, {
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
      includeDirs: [path.dirname(MODULE_PROTO)],
    });
    modulePackage = grpc.loadPackageDefinition(definition).marchproxy;
  }
  return modulePackage;
}

class ModuleClient {
  /** @param {string} target host:port of the ALB's GRPC_PORT */
  constructor(target) {
    const { ModuleService } = loadModuleService();
    this.raw = new ModuleService(target, grpc.credentials.createInsecure());
    for (const method of Object.keys(ModuleService.service)) {
      this[lowerFirst(method)] = (request = {}, timeoutMs = CALL_TIMEOUT_MS) =>
        new Promise((resolve, reject) => {
          this.raw[method](request, { deadline: Date.now() + timeoutMs }, (err, response) => {
            if (err) {
              err.message = `ModuleService/${method} failed: ${err.message}`;
              reject(err);
            } else {
              resolve(response);
            }
          });
        });
    }
  }

  /** Resolves once the channel is connected, or rejects at the deadline. */
  waitForReady(timeoutMs) {
    return new Promise((resolve, reject) => {
      this.raw.waitForReady(Date.now() + timeoutMs, (err) => (err ? reject(err) : resolve()));
    });
  }

  close() {
    this.raw.close();
  }
}

function lowerFirst(s) {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * The google.rpc.ErrorInfo the ALB attaches to an error status (grpc-status-details-bin), as
 * {reason, domain, metadata}; undefined if there is none.
 */
function errorInfo(err) {
  const raw = err && err.metadata && err.metadata.get('grpc-status-details-bin')[0];
  if (!raw) return undefined;
  const protos = canonicalProtos();
  const status = protos.decode('google.rpc.Status', raw);
  return (status.details || []).find((d) => d['@type'] === 'google.rpc.ErrorInfo');
}

/** Throws unless a MutationResponse-like reply reports success. */
function expectSuccess(response, what) {
  if (!response || response.success !== true) {
    throw new Error(`${what} was not successful: ${JSON.stringify(response)}`);
  }
  return response;
}

module.exports = { MODULE_PROTO, ModuleClient, loadModuleService, expectSuccess, errorInfo };
