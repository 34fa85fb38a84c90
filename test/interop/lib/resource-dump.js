'use strict';

// Runs the C# resource dump (test/MarchProxy.ResourceDump): random desired states covering every
// translator feature, translated for Envoy and gRPC nodes, every resource written out with its bytes.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const DEFAULT_DLL = path.resolve(__dirname, '..', '..', 'MarchProxy.ResourceDump', 'bin', 'Release', 'net10.0', 'MarchProxy.ResourceDump.dll');

/** Where the dump dll is (MARCHPROXY_RESOURCE_DUMP_DLL, else the Release build output), and why it is missing. */
function locateDump() {
  const fromEnv = process.env.MARCHPROXY_RESOURCE_DUMP_DLL;
  const dll = fromEnv ? path.resolve(fromEnv) : DEFAULT_DLL;
  const exists = fs.existsSync(dll);
  return { dll, exists, reason: exists ? '' : `${dll} not found: build the solution first (dotnet build -c Release)` };
}

/** Runs the dump and returns {summary, resources: [{state, kind, type, name, bytes: Buffer}]}. */
function runDump({ states = 60, seed = 1, plant = false } = {}) {
  const { dll, exists, reason } = locateDump();
  if (!exists) throw new Error(reason);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'marchproxy-dump-'));
  try {
    const args = [dll, '--out', out, '--states', String(states), '--seed', String(seed)];
    if (plant) args.push('--plant');
    const run = spawnSync('dotnet', args, { encoding: 'utf8', timeout: 120_000 });
    if (run.status !== 0) throw new Error(`resource dump failed (${run.status}): ${run.stderr || run.stdout}`);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    const resources = fs
      .readFileSync(path.join(out, 'resources.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => {
        const r = JSON.parse(line);
        return { ...r, bytes: Buffer.from(r.bytes, 'base64') };
      });
    return { summary, resources };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

module.exports = { locateDump, runDump };
