namespace MarchProxy.ControlPlane.Model;

/// <summary>TLS material: a file path (checked on this machine at push time) or inline PEM.</summary>
internal static class TlsValidation
{
    public static void ValidateFile(string path, string? file, PemKind kind, ValidationOptions options, ICollection<ValidationError> errors)
    {
        if (file is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(file))
        {
            errors.Add(new ValidationError(path, "must not be blank"));
            return;
        }

        if (file.Length > ModelLimits.MaxFilePathLength || TextRules.HasControlCharacters(file))
        {
            errors.Add(new ValidationError(path, $"{ValidationText.Quote(file)} is not a usable path (control characters, or longer than {ModelLimits.MaxFilePathLength})"));
            return;
        }

        if (!Path.IsPathFullyQualified(file))
        {
            errors.Add(new ValidationError(path, $"{ValidationText.Quote(file)} must be an absolute path (Envoy does not run in the ALB's directory)"));
            return;
        }

        if (options.TlsFiles?.Check(file, kind) is { } problem)
        {
            errors.Add(new ValidationError(path, $"{ValidationText.Quote(file)} {problem}"));
        }
    }

    public static void ValidateInline(string path, string? pem, PemKind kind, ICollection<ValidationError> errors)
    {
        if (pem is null)
        {
            return;
        }

        if (pem.Length > ModelLimits.MaxPemBytes)
        {
            errors.Add(new ValidationError(path, $"must be at most {ModelLimits.MaxPemBytes} characters (has {pem.Length})"));
        }
        else if (PemRules.Check(pem, kind) is { } problem)
        {
            errors.Add(new ValidationError(path, problem));
        }
    }

    /// <summary>A listener's certificate or key: exactly one of a file and inline PEM.</summary>
    public static void ValidateData(string path, DataSpec? data, PemKind kind, ValidationOptions options, ICollection<ValidationError> errors)
    {
        var hasFile = !string.IsNullOrEmpty(data?.FilePath);
        var hasInline = !string.IsNullOrEmpty(data?.Inline);
        if (hasFile == hasInline)
        {
            errors.Add(new ValidationError(path, "exactly one of a file path and inline PEM must be set"));
            return;
        }

        if (hasFile)
        {
            ValidateFile(path, data!.FilePath, kind, options, errors);
        }
        else
        {
            ValidateInline(path, data!.Inline, kind, errors);
        }
    }
}
