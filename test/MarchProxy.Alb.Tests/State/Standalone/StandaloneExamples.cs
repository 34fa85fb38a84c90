namespace MarchProxy.Alb.Tests.State.Standalone;

/// <summary>The complete example of the README, kept here so the test proves it loads.</summary>
public static class StandaloneExamples
{
    public const string Complete = """
        {
          "Proxy": {
            "Listeners": {
              "public": { "Address": "0.0.0.0", "Port": 10000 },
              "public-tls": {
                "Port": 10443,
                "Tls": { "CertificateFile": "/etc/alb/tls/cert.pem", "KeyFile": "/etc/alb/tls/key.pem" }
              }
            },
            "Routes": {
              "api": {
                "Order": 1,
                "Match": {
                  "Path": "/api/{**catch-all}",
                  "Hosts": [ "api.example.com", "*.api.example.com" ],
                  "Headers": [ { "Name": "x-tenant", "Value": "blue" } ]
                },
                "ClusterId": "api",
                "Timeout": "30s",
                "RateLimit": { "RequestsPerSecond": 1000, "Burst": 100 },
                "Retry": { "RetryOn": "5xx,connect-failure", "NumRetries": 2, "PerTryTimeout": "2s" }
              },
              "checkout": {
                "Match": { "ExactPath": "/checkout" },
                "Backends": { "checkout-blue": 90, "checkout-green": 10 }
              },
              "assets": {
                "Match": { "Regex": "^/assets/.+\\.(css|js)$" },
                "ClusterId": "static"
              },
              "ws": {
                "Match": { "Path": "/ws/" },
                "ClusterId": "api",
                "WebSocket": true,
                "Timeout": "1h"
              },
              "maintenance": {
                "Match": { "Path": "/old/" },
                "ClusterId": "static",
                "Enabled": false
              }
            },
            "Clusters": {
              "api": {
                "Destinations": {
                  "api-1": { "Address": "http://10.0.1.10:8080", "Weight": 3 },
                  "api-2": { "Address": "10.0.1.11:8080" }
                },
                "LoadBalancingPolicy": "LeastRequest",
                "ConnectTimeout": "2s",
                "Http2": true,
                "HealthCheck": { "Path": "/health", "Interval": "5s", "Timeout": "1s", "HealthyThreshold": 2, "UnhealthyThreshold": 3 },
                "OutlierDetection": { "Consecutive5xx": 5, "Interval": "10s", "BaseEjectionTime": "30s", "MaxEjectionPercent": 50 },
                "CircuitBreakers": { "MaxConnections": 1000, "MaxPendingRequests": 100, "MaxRequests": 1000, "MaxRetries": 3 }
              },
              "checkout-blue": { "Destinations": { "b1": { "Address": "10.0.2.10:8080" } } },
              "checkout-green": { "Destinations": { "g1": { "Address": "10.0.3.10:8080" } } },
              "static": {
                "Destinations": { "cdn": { "Address": "https://static.internal" } },
                "Tls": { "TrustedCaFile": "/etc/ssl/certs/ca-certificates.crt" }
              }
            }
          }
        }
        """;
}
