"""Blue/green through MarchProxy ALB's ModuleService API with grpcio.

Two clusters, one route, then traffic moves from blue to green; each step waits until every
connected Envoy (and proxyless gRPC client) has ACKed it (wait_for_ack).

    python -m grpc_tools.protoc -I ../../protos --python_out=. --grpc_python_out=. marchproxy/module_service.proto
    python blue_green.py [API address, default localhost:50051]

CLUSTER_API_KEY is sent when set. Exit code 0 when every step worked.
"""

import os
import sys

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from marchproxy import module_service_pb2 as pb
from marchproxy import module_service_pb2_grpc as pb_grpc

ACK_TIMEOUT_SECONDS = 10


def field_violations(error: grpc.RpcError):
    """Every bad field of a refused request, from the google.rpc.BadRequest detail."""
    status = rpc_status.from_call(error)
    if status is None:
        return []
    violations = []
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad_request = error_details_pb2.BadRequest()
            detail.Unpack(bad_request)
            violations.extend((v.field, v.description) for v in bad_request.field_violations)
    return violations


def main() -> int:
    address = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("MARCHPROXY_SERVER", "localhost:50051")
    api_key = os.environ.get("CLUSTER_API_KEY")
    metadata = [("authorization", f"Bearer {api_key}")] if api_key else []

    with grpc.insecure_channel(address) as channel:
        api = pb_grpc.ModuleServiceStub(channel)
        try:
            status = api.GetStatus(pb.StatusRequest(), metadata=metadata, timeout=10)
            print(f"Connected to {status.module_id} ({status.envoy_state}), config version {status.config_version}")

            for name, ip in (("shop-blue", "10.0.10.1"), ("shop-green", "10.0.20.1")):
                cluster = pb.ClusterConfig(
                    name=name,
                    lb_policy="ROUND_ROBIN",
                    endpoints=[pb.Endpoint(address=ip, port=8080)],
                    health_check=pb.HealthCheckConfig(http_path="/healthz"),
                )
                reply = api.UpsertCluster(
                    pb.UpsertClusterRequest(cluster=cluster, wait_for_ack=True),
                    metadata=metadata,
                    timeout=ACK_TIMEOUT_SECONDS,
                )
                print(f"{reply.message}: version {reply.version}, {reply.ack.acked_nodes} node(s) ACKed")

            route = pb.RouteConfig(
                name="shop",
                prefix="/",
                hosts=["shop.example.com"],
                timeout_seconds=15,
                enabled=True,
                weights=[pb.TrafficWeight(backend_name="shop-blue", weight=100), pb.TrafficWeight(backend_name="shop-green", weight=0)],
            )
            reply = api.UpsertRoute(pb.UpsertRouteRequest(route=route, wait_for_ack=True), metadata=metadata, timeout=ACK_TIMEOUT_SECONDS)
            print(f"{reply.message}: version {reply.version}")

            for blue, green in ((90, 10), (0, 100)):
                shifted = api.SetTrafficWeight(
                    pb.TrafficWeightRequest(
                        route_name="shop",
                        weights=[pb.TrafficWeight(backend_name="shop-blue", weight=blue), pb.TrafficWeight(backend_name="shop-green", weight=green)],
                        wait_for_ack=True,
                    ),
                    metadata=metadata,
                    timeout=ACK_TIMEOUT_SECONDS,
                )
                print(f"blue {blue} / green {green}: version {shifted.version}, {shifted.ack.acked_nodes} ACKed, {shifted.ack.pending_nodes} pending")

            # A refused request names every bad field.
            try:
                api.SetTrafficWeight(
                    pb.TrafficWeightRequest(route_name="shop", weights=[pb.TrafficWeight(backend_name="shop-grey", weight=1)]),
                    metadata=metadata,
                    timeout=10,
                )
            except grpc.RpcError as refused:
                if refused.code() != grpc.StatusCode.INVALID_ARGUMENT:
                    raise
                for field, description in field_violations(refused):
                    print(f"refused as expected: {field}: {description}")
            return 0
        except grpc.RpcError as error:
            print(f"error: {error.code().name}: {error.details()}", file=sys.stderr)
            for field, description in field_violations(error):
                print(f"  {field}: {description}", file=sys.stderr)
            if error.code() in (grpc.StatusCode.ABORTED, grpc.StatusCode.DEADLINE_EXCEEDED):
                print("  the change is applied but not every node accepted it (yet)", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
