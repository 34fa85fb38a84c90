'use strict';

// Reads what the real @grpc/grpc-js-xds client sends to the control plane, from its own trace
// (tracer "xds_client", line "Sending discovery request: <json>"). Every response the client
// receives is answered by exactly one such request (an ACK, or a NACK with error_detail), so
// counting NACKs counts the bad responses the client was sent.
//
// grpc-js reads GRPC_TRACE once, when it is first loaded: call enableXdsClientTrace() before
// anything requires @grpc/grpc-js.

const MARKER = 'Sending discovery request: ';

function enableXdsClientTrace() {
  if (require.cache[require.resolve('@grpc/grpc-js')]) {
    throw new Error('enableXdsClientTrace() must run before @grpc/grpc-js is loaded');
  }
  process.env.GRPC_TRACE = 'xds_client';
}

/**
 * Routes grpc-js's log to memory and collects the discovery requests the xDS client sends.
 * Returns {requests, lines}: requests are parsed DiscoveryRequest objects, in order.
 */
function captureXdsRequests() {
  const grpc = require('@grpc/grpc-js');
  const captured = { requests: [], lines: [] };
  const sink = (...args) => {
    const line = args.map(String).join(' ');
    if (captured.lines.length < 20_000) captured.lines.push(line);
    const at = line.indexOf(MARKER);
    if (at >= 0) captured.requests.push(JSON.parse(line.slice(at + MARKER.length)));
  };
  grpc.setLogger({ debug: sink, info: sink, error: sink });
  grpc.setLogVerbosity(grpc.logVerbosity.DEBUG);
  return captured;
}

/** The NACKs (requests with error_detail) of one type among captured requests. */
function nacksOf(requests, typeUrl) {
  return requests.filter((r) => r.type_url === typeUrl && r.error_detail);
}

module.exports = { enableXdsClientTrace, captureXdsRequests, nacksOf };
