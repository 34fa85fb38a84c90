'use strict';

// The xDS bootstrap a proxyless gRPC client needs to use the ALB as its control plane. The same
// JSON works as the content of GRPC_XDS_BOOTSTRAP_CONFIG or of the file GRPC_XDS_BOOTSTRAP names.

/**
 * @param {object} options
 * @param {string} options.xdsTarget host:port of the ALB's ADS server (XDS_PORT)
 * @param {string} options.nodeId shows up as node_id in the ALB's GetStatus
 * @param {string} [options.cluster]
 */
function grpcBootstrap({ xdsTarget, nodeId, cluster = 'interop' }) {
  return {
    xds_servers: [
      {
        server_uri: xdsTarget,
        channel_creds: [{ type: 'insecure' }],
        server_features: ['xds_v3'],
      },
    ],
    // grpc-js-xds requires node.id and node.locality (an empty object is fine).
    node: { id: nodeId, cluster, locality: {} },
  };
}

/**
 * Sets GRPC_XDS_BOOTSTRAP_CONFIG for this process. grpc-js-xds reads it once, when the first
 * xds: channel resolves, so call this before creating any; one bootstrap per process.
 */
function useBootstrap(bootstrap) {
  if (process.env.GRPC_XDS_BOOTSTRAP) {
    throw new Error('GRPC_XDS_BOOTSTRAP is set and would win over GRPC_XDS_BOOTSTRAP_CONFIG; unset it');
  }
  process.env.GRPC_XDS_BOOTSTRAP_CONFIG = JSON.stringify(bootstrap);
}

module.exports = { grpcBootstrap, useBootstrap };
