using System.Text.Json.Nodes;

namespace MarchProxy.ControlPlane.Validation.Pgv;

/// <summary>
/// The <c>(validate.rules)</c> of one field, in the parts that the fields we emit use. <see cref="ToJson"/>
/// writes it in protoc-gen-validate's own shape, so CI can compare it with the canonical annotation.
/// </summary>
internal sealed record FieldRule
{
    public StringRule? String { get; init; }

    public NumberRule? UInt32 { get; init; }

    public DurationRule? Duration { get; init; }

    public EnumRule? Enum { get; init; }

    public bool MessageRequired { get; init; }

    public bool AnyRequired { get; init; }

    public RepeatedRule? Repeated { get; init; }

    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (String is { } s)
        {
            json["string"] = s.ToJson();
        }

        if (UInt32 is { } n)
        {
            json["uint32"] = n.ToJson();
        }

        if (Duration is { } d)
        {
            json["duration"] = d.ToJson();
        }

        if (Enum is { } e)
        {
            var node = new JsonObject { ["defined_only"] = e.DefinedOnly };
            if (e.NotIn is { } notIn)
            {
                node["not_in"] = new JsonArray([.. notIn.Select(v => JsonValue.Create(v))]);
            }

            json["enum"] = node;
        }

        if (MessageRequired)
        {
            json["message"] = new JsonObject { ["required"] = true };
        }

        if (AnyRequired)
        {
            json["any"] = new JsonObject { ["required"] = true };
        }

        if (Repeated is { } r)
        {
            var node = new JsonObject();
            if (r.MinItems is { } min)
            {
                node["min_items"] = min;
            }

            if (r.MaxItems is { } max)
            {
                node["max_items"] = max;
            }

            if (r.Items is { } items)
            {
                node["items"] = items.ToJson();
            }

            json["repeated"] = node;
        }

        return json;
    }
}

internal enum KnownRegex
{
    HttpHeaderName,
    HttpHeaderValue,
}

internal sealed record StringRule(int? MinLen = null, int? MaxBytes = null, KnownRegex? WellKnown = null, bool Strict = true, string? Pattern = null, IReadOnlyList<string>? In = null)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (MinLen is { } min)
        {
            json["min_len"] = min;
        }

        if (MaxBytes is { } max)
        {
            json["max_bytes"] = max;
        }

        if (Pattern is { } pattern)
        {
            json["pattern"] = pattern;
        }

        if (In is { } values)
        {
            json["in"] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]);
        }

        if (WellKnown is { } known)
        {
            json["well_known_regex"] = known == KnownRegex.HttpHeaderName ? "HTTP_HEADER_NAME" : "HTTP_HEADER_VALUE";
            json["strict"] = Strict;
        }

        return json;
    }
}

internal sealed record NumberRule(long? Gt = null, long? Gte = null, long? Lt = null, long? Lte = null)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        Put(json, "gt", Gt);
        Put(json, "gte", Gte);
        Put(json, "lt", Lt);
        Put(json, "lte", Lte);
        return json;
    }

    private static void Put(JsonObject json, string key, long? value)
    {
        if (value is { } v)
        {
            json[key] = v;
        }
    }
}

/// <summary>Duration bounds in nanoseconds.</summary>
internal sealed record DurationRule(bool Required = false, long? GtNanos = null, long? GteNanos = null, long? LtNanos = null, long? LteNanos = null)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject();
        if (Required)
        {
            json["required"] = true;
        }

        Put(json, "gt", GtNanos);
        Put(json, "gte", GteNanos);
        Put(json, "lt", LtNanos);
        Put(json, "lte", LteNanos);
        return json;
    }

    private static void Put(JsonObject json, string key, long? nanos)
    {
        if (nanos is { } n)
        {
            json[key] = new JsonObject { ["nanos_total"] = n };
        }
    }
}

internal sealed record EnumRule(bool DefinedOnly, IReadOnlyList<int>? NotIn = null);

internal sealed record RepeatedRule(int? MinItems = null, int? MaxItems = null, FieldRule? Items = null);
