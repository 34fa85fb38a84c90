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

    /// <summary>Checks <paramref name="message"/>; <paramref name="stopAt"/> names fields (package.Message.field) left to the caller.</summary>
    public void Walk(IMessage message, string path, IReadOnlySet<string> stopAt, List<EnvoyFinding> findings)
    {
        var descriptor = message.Descriptor;
        foreach (var oneof in descriptor.Oneofs)
        {
            if (!oneof.IsSynthetic
                && PgvRules.RequiredOneofs.Contains($"{descriptor.FullName}.{oneof.Name}")
                && oneof.Accessor.GetCaseFieldDescriptor(message) is null)
            {
                findings.Add(new EnvoyFinding(Join(path, oneof.Name), $"one of {descriptor.Name}.{oneof.Name} must be set"));
            }
        }

        foreach (var field in descriptor.Fields.InFieldNumberOrder())
        {
            if (stopAt.Contains(field.FullName))
            {
                continue;
            }

            var oneof = field.RealContainingOneof;
            if (oneof is not null && oneof.Accessor.GetCaseFieldDescriptor(message)?.FieldNumber != field.FieldNumber)
            {
                continue;
            }

            var rule = PgvRules.Fields.GetValueOrDefault(field.FullName);
            var fieldPath = Join(path, field.Name);
            var value = field.Accessor.GetValue(message);
            if (field.IsMap)
            {
                WalkMap(field, (IDictionary)value, fieldPath, stopAt, findings);
            }
            else if (field.IsRepeated)
            {
                WalkRepeated(field, rule, (IList)value, fieldPath, stopAt, findings);
            }
            else
            {
                CheckValue(field, rule, value, fieldPath, stopAt, findings);
            }
        }
    }

    private void WalkMap(FieldDescriptor field, IDictionary map, string path, IReadOnlySet<string> stopAt, List<EnvoyFinding> findings)
    {
        var valueField = field.MessageType.FindFieldByNumber(2);
        foreach (DictionaryEntry entry in map)
        {
            CheckValue(valueField, null, entry.Value, $"{path}[{entry.Key}]", stopAt, findings);
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
            CheckValue(field, rule?.Repeated?.Items, items[i], $"{path}[{i}]", stopAt, findings);
        }
    }

    private void CheckValue(FieldDescriptor field, FieldRule? rule, object? value, string path, IReadOnlySet<string> stopAt, List<EnvoyFinding> findings)
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
                    findings.Add(new EnvoyFinding(path, $"{number} is not a defined {field.EnumType.Name}"));
                }

                if (enumRule.NotIn?.Contains(number) == true)
                {
                    findings.Add(new EnvoyFinding(path, $"{field.EnumType.FindValueByNumber(number)?.Name ?? number.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not allowed"));
                }

                break;
            case FieldType.Message:
                CheckMessage(field, rule, value, path, stopAt, findings);
                break;
        }
    }

    private void CheckMessage(FieldDescriptor field, FieldRule? rule, object? value, string path, IReadOnlySet<string> stopAt, List<EnvoyFinding> findings)
    {
        if (value is null)
        {
            if (rule is { MessageRequired: true } or { AnyRequired: true } or { Duration.Required: true })
            {
                findings.Add(new EnvoyFinding(path, "is required"));
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
                    findings.Add(new EnvoyFinding(path, $"holds {any.TypeUrl}, a type the validator does not know"));
                    return;
                }

                Walk(type.Parser.ParseFrom(any.Value), path, stopAt, findings);
                return;
            case IMessage message:
                Walk(message, path, stopAt, findings);
                return;
            case uint wrapped when rule?.UInt32 is { } numberRule:
                // A UInt32Value arrives unwrapped; its rules apply when it is set.
                CheckNumber(numberRule, wrapped, path, findings);
                return;
        }
    }

    private static void CheckString(StringRule rule, string value, string path, List<EnvoyFinding> findings)
    {
        if (rule.MinLen is { } minLen && value.EnumerateRunes().Count() < minLen)
        {
            findings.Add(new EnvoyFinding(path, $"must be at least {minLen} character(s) long"));
        }

        if (rule.MaxBytes is { } maxBytes && Encoding.UTF8.GetByteCount(value) > maxBytes)
        {
            findings.Add(new EnvoyFinding(path, $"must be at most {maxBytes} bytes"));
        }

        if (rule.Pattern is { } pattern && !Regex.IsMatch(value, pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant))
        {
            findings.Add(new EnvoyFinding(path, $"must match {pattern}"));
        }

        if (rule.In is { } allowed && !allowed.Contains(value, StringComparer.Ordinal))
        {
            findings.Add(new EnvoyFinding(path, $"must be one of {string.Join(", ", allowed)}"));
        }

        if (rule.WellKnown is { } known && !HeaderSyntax.Matches(known, rule.Strict, value))
        {
            findings.Add(new EnvoyFinding(path, known == KnownRegex.HttpHeaderName ? "is not a valid HTTP header name" : "is not a valid HTTP header value"));
        }
    }

    private static void CheckNumber(NumberRule rule, long value, string path, List<EnvoyFinding> findings)
    {
        if ((rule.Gt is { } gt && value <= gt) || (rule.Gte is { } gte && value < gte)
            || (rule.Lt is { } lt && value >= lt) || (rule.Lte is { } lte && value > lte))
        {
            findings.Add(new EnvoyFinding(path, $"{value} is out of range ({Describe(rule.Gt, rule.Gte, rule.Lt, rule.Lte)})"));
        }
    }

    private static void CheckDuration(DurationRule? rule, Duration duration, string path, List<EnvoyFinding> findings)
    {
        if (duration.Seconds < 0 || duration.Nanos < 0 || duration.Seconds > MaxDurationSeconds || duration.Nanos > 999_999_999)
        {
            findings.Add(new EnvoyFinding(path, "is not a duration Envoy accepts (negative or out of range)"));
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
            findings.Add(new EnvoyFinding(path, $"{duration.ToTimeSpan()} is out of range ({Describe(rule.GtNanos, rule.GteNanos, rule.LtNanos, rule.LteNanos)} ns)"));
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
}
