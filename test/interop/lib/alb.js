'use strict';

// Starts and stops the built MarchProxy ALB host (`dotnet MarchProxy.Alb.dll`) in
// control-plane-only mode (ENVOY_ENABLED=false) on free loopback ports, with a fresh DATA_DIR and
// an empty standalone config, and keeps its output for the failure report.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { freePorts } = require('./ports');
const { ModuleClient } = require('./module-client');
const { STARTUP_TIMEOUT_MS, withDeadline, deferred } = require('./wait');

const DEFAULT_DLL = path.resolve(
  __dirname,
  '..',
  '..',
  '..',
  'src',
  'MarchProxy.Alb',
  'bin',
  'Release',
  'net10.0',
  'MarchProxy.Alb.dll',
);
const STOP_GRACE_MS = 10_000;
const MAX_LOG_CHARS = 256 * 1024;
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Where the host dll is: MARCHPROXY_ALB_DLL (set by build.cake's TestInterop), else the Release
 * build output. `reason` explains a missing dll; `required` is true when the environment named it,
 * so a missing file is a failure rather than a skip.
 */
function locateAlb() {
  const fromEnv = process.env.MARCHPROXY_ALB_DLL;
  const dll = fromEnv ? path.resolve(fromEnv) : DEFAULT_DLL;
  const exists = fs.existsSync(dll);
  return {
    dll,
    exists,
    required: Boolean(fromEnv),
    reason: exists
      ? null
      : `the ALB host is not built (${dll}); build it, or point MARCHPROXY_ALB_DLL at MarchProxy.Alb.dll`,
  };
}

/** Keeps the last MAX_LOG_CHARS of a process's output. */
class LogTail {
  constructor() {
    this.text = '';
  }

  append(chunk) {
    this.text += chunk.toString('utf8');
    if (this.text.length > MAX_LOG_CHARS) this.text = this.text.slice(-MAX_LOG_CHARS);
  }
}

class AlbProcess {
  constructor(child, ports, workDir, dll) {
    this.child = child;
    this.ports = ports;
    this.workDir = workDir;
    this.dll = dll;
    this.log = new LogTail();
    this.exited = deferred();
    this.exitInfo = null;
    this.client = new ModuleClient(`127.0.0.1:${ports.grpc}`);
    child.stdout.on('data', (c) => this.log.append(c));
    child.stderr.on('data', (c) => this.log.append(c));
    child.once('exit', (code, signal) => {
      this.exitInfo = { code, signal };
      this.exited.resolve(this.exitInfo);
    });
    // Never leave the host running if this test process ends early: on exit, or on a signal
    // (whose default action would skip 'exit' handlers), kill it, then let the signal take its
    // normal course.
    this._killOnExit = () => {
      if (!this.exitInfo) child.kill('SIGKILL');
      fs.rmSync(this.workDir, { recursive: true, force: true });
    };
    this._onSignal = (signal) => {
      this._killOnExit();
      this._removeExitHooks();
      process.kill(process.pid, signal);
    };
    process.once('exit', this._killOnExit);
    for (const signal of FORWARDED_SIGNALS) process.once(signal, this._onSignal);
  }

  _removeExitHooks() {
    process.off('exit', this._killOnExit);
    for (const signal of FORWARDED_SIGNALS) process.off(signal, this._onSignal);
  }

  get xdsTarget() {
    return `127.0.0.1:${this.ports.xds}`;
  }

  /** The host's output so far, for failure reports. */
  output() {
    return this.log.text;
  }

  /** Waits until ModuleService answers GetStatus; fails early if the process exits. */
  async waitUntilServing(timeoutMs = STARTUP_TIMEOUT_MS) {
    const deadline = Date.now() + timeoutMs;
    const exitedEarly = this.exited.promise.then((info) => {
      throw new Error(`the ALB exited during start-up (${JSON.stringify(info)})`);
    });
    const ready = (async () => {
      await this.client.waitForReady(timeoutMs);
      // The channel connects once Kestrel listens; GetStatus proves the API is mapped.
      return this.client.getStatus({}, Math.max(1000, deadline - Date.now()));
    })();
    return withDeadline(Promise.race([ready, exitedEarly]), timeoutMs, 'the ALB to serve GetStatus');
  }

  /** SIGTERM, then SIGKILL after a grace period. Idempotent; removes the temp dir. */
  async stop() {
    this.client.close();
    if (!this.exitInfo) {
      this.child.kill('SIGTERM');
      try {
        await withDeadline(this.exited.promise, STOP_GRACE_MS, 'the ALB to exit after SIGTERM');
      } catch {
        this.log.append(`\n[interop] the ALB did not exit within ${STOP_GRACE_MS} ms of SIGTERM; sent SIGKILL\n`);
        this.child.kill('SIGKILL');
        await this.exited.promise;
      }
    }
    this._removeExitHooks();
    fs.rmSync(this.workDir, { recursive: true, force: true });
    return this.exitInfo;
  }
}

/**
 * Starts the ALB and waits until its API serves. `env` adds or overrides environment variables.
 * Resolves with an AlbProcess; on failure the process is stopped and the error carries its output.
 */
async function startAlb({ env = {}, timeoutMs = STARTUP_TIMEOUT_MS } = {}) {
  const located = locateAlb();
  if (!located.exists) throw new Error(located.reason);
  const [grpcPort, xdsPort, healthPort, metricsPort, envoyListenPort, envoyAdminPort] = await freePorts(6);
  const ports = {
    grpc: grpcPort,
    xds: xdsPort,
    health: healthPort,
    metrics: metricsPort,
    envoyListen: envoyListenPort,
    envoyAdmin: envoyAdminPort,
  };
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'marchproxy-interop-'));
  const dataDir = path.join(workDir, 'data');
  fs.mkdirSync(dataDir);
  // An empty standalone config (ALB_CONFIG_FILE, the "Proxy" section of config/alb.json), so the
  // shipped default routes don't interfere and nothing but this suite's mutations is served.
  const configFile = path.join(workDir, 'alb.json');
  fs.writeFileSync(configFile, JSON.stringify({ Proxy: { Listeners: {}, Routes: {}, Clusters: {} } }, null, 2));
  const childEnv = {
    ...process.env,
    MODULE_ID: `interop-${process.pid}`,
    GRPC_PORT: String(grpcPort),
    GRPC_BIND: '127.0.0.1',
    XDS_PORT: String(xdsPort),
    XDS_BIND: '127.0.0.1',
    HEALTH_PORT: String(healthPort),
    HEALTH_BIND: '127.0.0.1',
    METRICS_PORT: String(metricsPort),
    METRICS_BIND: '127.0.0.1',
    ENVOY_ENABLED: 'false',
    ENVOY_LISTEN_PORT: String(envoyListenPort),
    ENVOY_ADMIN_PORT: String(envoyAdminPort),
    DATA_DIR: dataDir,
    ALB_CONFIG_FILE: configFile,
    SHUTDOWN_TIMEOUT: '2s',
    DOTNET_NOLOGO: '1',
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    ...env,
  };
  delete childEnv.CLUSTER_API_KEY;
  const child = spawn('dotnet', [located.dll], {
    cwd: workDir,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const alb = new AlbProcess(child, ports, workDir, located.dll);
  alb.configFile = configFile;
  alb.dataDir = dataDir;
  const spawnError = new Promise((_, reject) => child.once('error', reject));
  try {
    alb.startStatus = await Promise.race([alb.waitUntilServing(timeoutMs), spawnError]);
    return alb;
  } catch (err) {
    await alb.stop();
    err.message += `\n--- ALB output ---\n${alb.output()}`;
    throw err;
  }
}

module.exports = { locateAlb, startAlb, AlbProcess, DEFAULT_DLL };
