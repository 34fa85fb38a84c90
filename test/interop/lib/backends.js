'use strict';

// Small gRPC backends on loopback. Each implements interop.Echo/WhoAmI and answers with its own
// id, and counts the calls it served, so a test can check routing from both ends.

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const ECHO_PROTO = path.join(__dirname, '..', 'protos', 'interop', 'echo.proto');

let echoPackage;
function loadEcho() {
  if (!echoPackage) {
    const definition = protoLoader.loadSync(ECHO_PROTO, {
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    });
    echoPackage = grpc.loadPackageDefinition(definition).interop;
  }
  return echoPackage;
}

class Backend {
  constructor(id, server, port) {
    this.id = id;
    this.server = server;
    this.port = port;
    this.address = '127.0.0.1';
    /** Calls served since start. */
    this.served = 0;
  }

  /** Stops at once: open calls are cancelled. */
  stop() {
    return new Promise((resolve) => {
      this.server.tryShutdown(() => resolve());
      this.server.forceShutdown();
    });
  }
}

/** Starts one backend on 127.0.0.1, on a port the OS picks. */
async function startBackend(id) {
  const echo = loadEcho();
  const server = new grpc.Server();
  let backend;
  server.addService(echo.Echo.service, {
    WhoAmI(call, callback) {
      backend.served++;
      callback(null, { backend_id: id, tag: call.request.tag });
    },
  });
  const port = await new Promise((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    );
  });
  backend = new Backend(id, server, port);
  return backend;
}

/** Starts one backend per id. */
async function startBackends(ids) {
  const started = [];
  try {
    for (const id of ids) started.push(await startBackend(id));
    return started;
  } catch (err) {
    await Promise.all(started.map((b) => b.stop()));
    throw err;
  }
}

module.exports = { ECHO_PROTO, loadEcho, startBackend, startBackends };
