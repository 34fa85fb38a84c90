// Blue/green through MarchProxy ALB's ModuleService API with grpc-go: two clusters, one route, then
// traffic moves from blue to green; each step waits until every connected Envoy (and proxyless gRPC
// client) has ACKed it (wait_for_ack).
//
//	go generate && go mod tidy && go run . [API address, default localhost:50051]
//
// CLUSTER_API_KEY is sent when set. Exit code 0 when every step worked.
package main

//go:generate protoc -I ../../protos --go_out=. --go_opt=module=marchproxy-examples/bluegreen --go_opt=Mmarchproxy/module_service.proto=marchproxy-examples/bluegreen/marchproxypb --go-grpc_out=. --go-grpc_opt=module=marchproxy-examples/bluegreen --go-grpc_opt=Mmarchproxy/module_service.proto=marchproxy-examples/bluegreen/marchproxypb marchproxy/module_service.proto

import (
	"context"
	"fmt"
	"os"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	pb "marchproxy-examples/bluegreen/marchproxypb"
)

const ackTimeout = 10 * time.Second

func main() {
	os.Exit(run())
}

func run() int {
	address := os.Getenv("MARCHPROXY_SERVER")
	if len(os.Args) > 1 {
		address = os.Args[1]
	}
	if address == "" {
		address = "localhost:50051"
	}

	conn, err := grpc.NewClient(address, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return 1
	}
	defer conn.Close()
	api := pb.NewModuleServiceClient(conn)

	base := context.Background()
	if key := os.Getenv("CLUSTER_API_KEY"); key != "" {
		base = metadata.AppendToOutgoingContext(base, "authorization", "Bearer "+key)
	}

	if err := blueGreen(base, api); err != nil {
		printError(err)
		return 1
	}
	return 0
}

func blueGreen(base context.Context, api pb.ModuleServiceClient) error {
	ctx, cancel := context.WithTimeout(base, ackTimeout)
	defer cancel()
	st, err := api.GetStatus(ctx, &pb.StatusRequest{})
	if err != nil {
		return err
	}
	fmt.Printf("Connected to %s (%s), config version %d\n", st.GetModuleId(), st.GetEnvoyState(), st.GetConfigVersion())

	for _, c := range []struct{ name, ip string }{{"shop-blue", "10.0.10.1"}, {"shop-green", "10.0.20.1"}} {
		cluster := &pb.ClusterConfig{
			Name:        c.name,
			LbPolicy:    "ROUND_ROBIN",
			Endpoints:   []*pb.Endpoint{{Address: c.ip, Port: 8080}},
			HealthCheck: &pb.HealthCheckConfig{HttpPath: "/healthz"},
		}
		reply, err := withAckDeadline(base, func(ctx context.Context) (*pb.MutationResponse, error) {
			return api.UpsertCluster(ctx, &pb.UpsertClusterRequest{Cluster: cluster, WaitForAck: true})
		})
		if err != nil {
			return err
		}
		fmt.Printf("%s: version %d, %d node(s) ACKed\n", reply.GetMessage(), reply.GetVersion(), reply.GetAck().GetAckedNodes())
	}

	route := &pb.RouteConfig{
		Name:           "shop",
		Prefix:         "/",
		Hosts:          []string{"shop.example.com"},
		TimeoutSeconds: 15,
		Enabled:        true,
		Weights:        weights(100, 0),
	}
	created, err := withAckDeadline(base, func(ctx context.Context) (*pb.MutationResponse, error) {
		return api.UpsertRoute(ctx, &pb.UpsertRouteRequest{Route: route, WaitForAck: true})
	})
	if err != nil {
		return err
	}
	fmt.Printf("%s: version %d\n", created.GetMessage(), created.GetVersion())

	for _, step := range [][2]int32{{90, 10}, {0, 100}} {
		shifted, err := withAckDeadline(base, func(ctx context.Context) (*pb.TrafficWeightResponse, error) {
			return api.SetTrafficWeight(ctx, &pb.TrafficWeightRequest{RouteName: "shop", Weights: weights(step[0], step[1]), WaitForAck: true})
		})
		if err != nil {
			return err
		}
		fmt.Printf("blue %d / green %d: version %d, %d ACKed, %d pending\n", step[0], step[1], shifted.GetVersion(), shifted.GetAck().GetAckedNodes(), shifted.GetAck().GetPendingNodes())
	}

	// A refused request names every bad field.
	_, err = withAckDeadline(base, func(ctx context.Context) (*pb.TrafficWeightResponse, error) {
		return api.SetTrafficWeight(ctx, &pb.TrafficWeightRequest{RouteName: "shop", Weights: []*pb.TrafficWeight{{BackendName: "shop-grey", Weight: 1}}})
	})
	if status.Code(err) != codes.InvalidArgument {
		return fmt.Errorf("expected INVALID_ARGUMENT, got %v", err)
	}
	for _, v := range fieldViolations(err) {
		fmt.Printf("refused as expected: %s: %s\n", v.GetField(), v.GetDescription())
	}
	return nil
}

// withAckDeadline gives one call the ACK wait as its deadline (the ALB waits until the deadline).
func withAckDeadline[T any](base context.Context, call func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(base, ackTimeout)
	defer cancel()
	return call(ctx)
}

func weights(blue, green int32) []*pb.TrafficWeight {
	return []*pb.TrafficWeight{{BackendName: "shop-blue", Weight: blue}, {BackendName: "shop-green", Weight: green}}
}

// fieldViolations reads the google.rpc.BadRequest detail of a refused request.
func fieldViolations(err error) []*errdetails.BadRequest_FieldViolation {
	var violations []*errdetails.BadRequest_FieldViolation
	for _, detail := range status.Convert(err).Details() {
		if badRequest, ok := detail.(*errdetails.BadRequest); ok {
			violations = append(violations, badRequest.GetFieldViolations()...)
		}
	}
	return violations
}

func printError(err error) {
	st := status.Convert(err)
	fmt.Fprintf(os.Stderr, "error: %s: %s\n", st.Code(), st.Message())
	for _, v := range fieldViolations(err) {
		fmt.Fprintf(os.Stderr, "  %s: %s\n", v.GetField(), v.GetDescription())
	}
	if st.Code() == codes.Aborted || st.Code() == codes.DeadlineExceeded {
		fmt.Fprintln(os.Stderr, "  the change is applied but not every node accepted it (yet)")
	}
}
