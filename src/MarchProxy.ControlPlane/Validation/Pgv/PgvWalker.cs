using System.Collections;
using System.Text;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;

namespace MarchProxy.ControlPlane.Validation.Pgv;

/// <summary>
/// Applies <see cref="PgvRules"/> to a message and everything in it, the way protoc-gen-validate's
/// generated validators do: scalar rules always, rules of a oneof member only when it is the one set,
/// message rules only on present messages, <c>Any</c> unpacked and checked as its own type. Also refuses
/// durations Envoy cannot convert (negative, or beyond protobuf's range).
/// </summary>
internal sealed class PgvWalker(TypeRegistry registry)
{
    private const long MaxDurationSeconds = 315_576_000_000;

    // What to check per message type, worked out once: its fields with their rules, its required oneofs.
    private readonly Dictionary<MessageDescriptor, TypePlan> _plans = [];

    /// <summary>Checks <paramref name="message"/>; <paramref name="stopAt"/> names fields (package.Message.field) left to the caller.</summary>
    public void Walk(IMessage message, string path, IReadOnlySet<string> stopAt, List<EnvoyFinding> findings)
    {
        var plan = Plan(message.Descriptor);
        foreach (var oneof in plan.RequiredOneofs)
        {
            if (oneof.Accessor.GetCaseFieldDescriptor(message) is null)
            {
                findings.Add(new EnvoyFinding(Join(path, oneof.Name), $"one of {message.Descriptor.Name}.{oneof.Name} must be set"));
            }
        }

        foreach (var (field, rule) in plan.Fields)
        {
            if (stopAt.Count > 0 && stopAt.Contains(field.FullName))
            {
                continue;
            }

            var oneof = field.RealContainingOneof;
            if (oneof is not null && oneof.Accessor.GetCaseFieldDescriptor(message)?.FieldNumber != field.FieldNumber)
            {
                continue;
            }

            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                WalkMap(field, (IDictionary)value, Join(path, field.Name), stopAt, findings);
            }
            else if (field.IsRepeated)
            {
                WalkRepeated(field, rule, (IList)value, Join(path, field.Name), stopAt, findings);
            }
            else
            {
                CheckValue(field, rule, value, new FieldPath(path, field.Name), stopAt, findings);
            }
        }
    }

    private TypePlan Plan(MessageDescriptor descriptor)
    {
        if (_plans.TryGetValue(descriptor, out var plan))
        {
            return plan;
        }

        // A field is worth visiting when it has rules, or holds messages that may have some.
        var fields = descriptor.Fields.InFieldNumberOrder()
            .Select(f => (Field: f, Rule: PgvRules.Fields.GetValueOrDefault(f.FullName)))
            .Where(f => f.Rule is not null || f.Field.FieldType == FieldType.Message)
            .ToArray();
        var oneofs = descriptor.Oneofs
            .Where(o => !o.IsSynthetic && PgvRules.RequiredOneofs.Contains($"{descriptor.FullName}.{o.Name}"))
            .ToArray();
        plan = new TypePlan(fields, oneofs);
        _plans[descriptor] = plan;
        return plan;
    }

    private void WalkMap(FieldDescriptor field, IDictionary map, string path, IReadOnlySet<string> stopAt, List<EnvoyFinding> findings)
    {
        var valueField = field.MessageType.FindFieldByNumber(2);
        foreach (DictionaryEntry entry in map)
        {
            CheckValue(valueField, null, entry.Value, new FieldPath(path, null, Key: entry.Key.ToString()), stopAt, findings);
        }
    }

    private void WalkRepeated(FieldDescriptor field, FieldRule? rule, IList items, string path, IReadOnlySet<string> stopAt, List<EnvoyFinding> findings)
    {
        if (rule?.Repeated is { } repeated)
        {
            if (items.Count < repeated.MinItems)
            {
                findings.Add(new EnvoyFinding(path, $"must have at least {repeated.MinItems} item(s)"));
            }

            if (items.Count > repeated.MaxItems)
            {
                findings.Add(new EnvoyFinding(path, $"must have at most {repeated.MaxItems} items"));
            }
        }

        for (var i = 0; i < items.Count; i++)
        {
            CheckValue(field, rule?.Repeated?.Items, items[i], new FieldPath(path, null, Index: i), stopAt, findings);
        }
    }

    private void CheckValue(FieldDescriptor field, FieldRule? rule, object? value, FieldPath path, IReadOnlySet<string> stopAt, List<EnvoyFinding> findings)
    {
        switch (field.FieldType)
        {
            case FieldType.String when rule?.String is { } stringRule:
                CheckString(stringRule, (string)value!, path, findings);
                break;
            case FieldType.UInt32 when rule?.UInt32 is { } numberRule:
                CheckNumber(numberRule, (uint)value!, path, findings);
                break;
            case FieldType.Enum when rule?.Enum is { } enumRule:
                var number = (int)value!;
                if (enumRule.DefinedOnly && field.EnumType.FindValueByNumber(number) is null)
                {
                    findings.Add(new EnvoyFinding(path.Text, $"{number} is not a defined {field.EnumType.Name}"));
                }

                if (enumRule.NotIn?.Contains(number) == true)
                {
                    findings.Add(new EnvoyFinding(path.Text, $"{field.EnumType.FindValueByNumber(number)?.Name ?? number.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not allowed"));
                }

                break;
            case FieldType.Message:
                CheckMessage(field, rule, value, path, stopAt, findings);
                break;
        }
    }

    private void CheckMessage(FieldDescriptor field, FieldRule? rule, object? value, FieldPath path, IReadOnlySet<string> stopAt, List<EnvoyFinding> findings)
    {
        if (value is null)
        {
            if (rule is { MessageRequired: true } or { AnyRequired: true } or { Duration.Required: true })
            {
                findings.Add(new EnvoyFinding(path.Text, "is required"));
            }

            return;
        }

        switch (value)
        {
            case Duration duration:
                CheckDuration(rule?.Duration, duration, path, findings);
                return;
            case Any any:
                var type = registry.Find(Any.GetTypeName(any.TypeUrl));
                if (type is null)
                {
                    findings.Add(new EnvoyFinding(path.Text, $"holds {any.TypeUrl}, a type the validator does not know"));
                    return;
                }

                Walk(type.Parser.ParseFrom(any.Value), path.Text, stopAt, findings);
                return;
            case IMessage message:
                Walk(message, path.Text, stopAt, findings);
                return;
            case uint wrapped when rule?.UInt32 is { } numberRule:
                // A UInt32Value arrives unwrapped; its rules apply when it is set.
                CheckNumber(numberRule, wrapped, path, findings);
                return;
        }
    }

    private static void CheckString(StringRule rule, string value, FieldPath path, List<EnvoyFinding> findings)
    {
        if (rule.MinLen is { } minLen && value.EnumerateRunes().Count() < minLen)
        {
            findings.Add(new EnvoyFinding(path.Text, $"must be at least {minLen} character(s) long"));
        }

        if (rule.MaxBytes is { } maxBytes && Encoding.UTF8.GetByteCount(value) > maxBytes)
        {
            findings.Add(new EnvoyFinding(path.Text, $"must be at most {maxBytes} bytes"));
        }

        if (rule.Pattern is { } pattern && !Regex.IsMatch(value, pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant))
        {
            findings.Add(new EnvoyFinding(path.Text, $"must match {pattern}"));
        }

        if (rule.In is { } allowed && !allowed.Contains(value, StringComparer.Ordinal))
        {
            findings.Add(new EnvoyFinding(path.Text, $"must be one of {string.Join(", ", allowed)}"));
        }

        if (rule.WellKnown is { } known && !HeaderSyntax.Matches(known, rule.Strict, value))
        {
            findings.Add(new EnvoyFinding(path.Text, known == KnownRegex.HttpHeaderName ? "is not a valid HTTP header name" : "is not a valid HTTP header value"));
        }
    }

    private static void CheckNumber(NumberRule rule, long value, FieldPath path, List<EnvoyFinding> findings)
    {
        if ((rule.Gt is { } gt && value <= gt) || (rule.Gte is { } gte && value < gte)
            || (rule.Lt is { } lt && value >= lt) || (rule.Lte is { } lte && value > lte))
        {
            findings.Add(new EnvoyFinding(path.Text, $"{value} is out of range ({Describe(rule.Gt, rule.Gte, rule.Lt, rule.Lte)})"));
        }
    }

    private static void CheckDuration(DurationRule? rule, Duration duration, FieldPath path, List<EnvoyFinding> findings)
    {
        if (duration.Seconds < 0 || duration.Nanos < 0 || duration.Seconds > MaxDurationSeconds || duration.Nanos > 999_999_999)
        {
            findings.Add(new EnvoyFinding(path.Text, "is not a duration Envoy accepts (negative or out of range)"));
            return;
        }

        if (rule is null)
        {
            return;
        }

        var nanos = ((Int128)duration.Seconds * 1_000_000_000) + duration.Nanos;
        if ((rule.GtNanos is { } gt && nanos <= gt) || (rule.GteNanos is { } gte && nanos < gte)
            || (rule.LtNanos is { } lt && nanos >= lt) || (rule.LteNanos is { } lte && nanos > lte))
        {
            findings.Add(new EnvoyFinding(path.Text, $"{duration.ToTimeSpan()} is out of range ({Describe(rule.GtNanos, rule.GteNanos, rule.LtNanos, rule.LteNanos)} ns)"));
        }
    }

    private static string Describe(long? gt, long? gte, long? lt, long? lte) => string.Join(", ", new[]
    {
        gt is { } a ? $"> {a}" : null,
        gte is { } b ? $">= {b}" : null,
        lt is { } c ? $"< {c}" : null,
        lte is { } d ? $"<= {d}" : null,
    }.Where(s => s is not null));

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private sealed record TypePlan((FieldDescriptor Field, FieldRule? Rule)[] Fields, OneofDescriptor[] RequiredOneofs);

    /// <summary>A field's path, put together only when a finding needs it.</summary>
    private readonly record struct FieldPath(string Parent, string? Name, int? Index = null, string? Key = null)
    {
        public string Text => Name is not null ? Join(Parent, Name) : Index is { } i ? $"{Parent}[{i}]" : $"{Parent}[{Key}]";
    }
}
