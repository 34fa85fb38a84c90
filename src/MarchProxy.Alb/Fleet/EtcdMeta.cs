using System.Text.Json.Serialization;

namespace MarchProxy.Alb.Fleet;

/// <summary>The meta key's value: written by every change, so a transaction that compares it sees any change since its read.</summary>
public sealed record EtcdMeta(int Format, string Operation, string ModuleId, DateTimeOffset At)
{
    public const int CurrentFormat = 1;

    /// <summary>A random id per change: after a lost answer it tells whether etcd applied that change.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Transaction { get; init; }
}
