using System.Text.Json;
using System.Text.Json.Nodes;
using Envoy.Config.Cluster.V3;
using Google.Protobuf;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Translation;
using MarchProxy.ControlPlane.Validation;
using MarchProxy.ControlPlane.Validation.Pgv;
using MarchProxy.ResourceDump;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Writes every resource the translators build from random desired states, for the CI walk that checks
// them against the (validate.rules) of Envoy's canonical protos (test/interop/pgv-walk.test.js).
//   --states N   how many random states (default 40)
//   --seed S     the first seed (default 1)
//   --out DIR    writes DIR/resources.jsonl and DIR/summary.json
//   --plant      plants one violation (a cluster's connect_timeout of 0) in the first Envoy snapshot
var states = 40;
var seed = 1;
string? outDir = null;
var plant = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--states":
            states = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--seed":
            seed = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--out":
            outDir = args[++i];
            break;
        case "--plant":
            plant = true;
            break;
        default:
            Console.Error.WriteLine($"unknown argument {args[i]}");
            return 2;
    }
}

if (outDir is null)
{
    Console.Error.WriteLine("usage: MarchProxy.ResourceDump --out DIR [--states N] [--seed S] [--plant]");
    return 2;
}

Directory.CreateDirectory(outDir);
var translators = new IResourceTranslator[]
{
    new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance),
    new GrpcTranslator(NullLogger<GrpcTranslator>.Instance),
};
var rules = new EnvoyResourceValidator();
var generator = new RandomStates(seed);
var features = new SortedSet<string>(StringComparer.Ordinal);
var modelErrors = new List<string>();
var ruleFindings = new List<string>();
var resources = 0;
using (var writer = new StreamWriter(Path.Combine(outDir, "resources.jsonl")))
{
    for (var n = 1; n <= states; n++)
    {
        var state = generator.Next(n);
        features.UnionWith(generator.Features);
        modelErrors.AddRange(ConfigValidator.Validate(state).Select(e => $"state {n}: {e}"));
        foreach (var translator in translators)
        {
            var translated = translator.Translate(state);
            ruleFindings.AddRange(rules.Validate(translator.Kind, translated, state).Select(e => $"state {n} {translator.Kind}: {e}"));
            var kind = translator.Kind == NodeKind.Grpc ? "grpc" : "envoy";
            features.Add(kind + "_" + (translated.Routes.Count > 0 ? "routes" : "no_routes"));
            foreach (var message in translated.Clusters.Concat(translated.Endpoints).Concat(translated.Listeners).Concat(translated.Routes))
            {
                var bytes = message.ToByteString();
                if (plant && n == 1 && translator.Kind == NodeKind.Envoy && message is Cluster cluster && resources < int.MaxValue)
                {
                    var planted = cluster.Clone();
                    planted.ConnectTimeout = new Google.Protobuf.WellKnownTypes.Duration();
                    bytes = planted.ToByteString();
                    plant = false;
                }

                var line = new JsonObject
                {
                    ["state"] = n,
                    ["kind"] = kind,
                    ["type"] = message.Descriptor.FullName,
                    ["name"] = NameOf(message),
                    ["bytes"] = Convert.ToBase64String(bytes.Span),
                };
                writer.WriteLine(line.ToJsonString());
                resources++;
            }
        }
    }
}

var summary = new JsonObject
{
    ["states"] = states,
    ["resources"] = resources,
    ["features"] = new JsonArray([.. features.Select(f => JsonValue.Create(f))]),
    ["model_errors"] = new JsonArray([.. modelErrors.Select(e => JsonValue.Create(e))]),
    ["rule_findings"] = new JsonArray([.. ruleFindings.Select(e => JsonValue.Create(e))]),
    ["rules"] = PgvRules.ToJson(),
};
File.WriteAllText(Path.Combine(outDir, "summary.json"), summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"{states} states, {resources} resources, {features.Count} features, {modelErrors.Count} model errors, {ruleFindings.Count} rule findings");
return 0;

static string NameOf(IMessage message) => message switch
{
    Cluster c => c.Name,
    Envoy.Config.Endpoint.V3.ClusterLoadAssignment a => a.ClusterName,
    Envoy.Config.Listener.V3.Listener l => l.Name,
    Envoy.Config.Route.V3.RouteConfiguration r => r.Name,
    _ => string.Empty,
};
