using System.Text.Json;
using MarchProxy.Config;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State.Standalone;

/// <summary>
/// Reads the standalone config file: the configured path (ALB_CONFIG_FILE), or else the first default
/// candidate that exists. JSON with comments and trailing commas; property names are
/// case-insensitive; an unknown property is an error (a typo must not be silently ignored).
/// </summary>
public sealed class StandaloneConfigLoader : IStandaloneConfigSource
{
    private readonly string? _configuredPath;
    private readonly IReadOnlyList<string> _defaultCandidates;
    private readonly int _defaultListenerPort;
    private readonly ValidationOptions _validation;

    /// <summary>
    /// A loader for <paramref name="configuredPath"/> (or the first of <paramref name="defaultCandidates"/>
    /// that exists). <paramref name="tlsFiles"/> checks the TLS files the config names when it is
    /// loaded (the local file system by default).
    /// </summary>
    public StandaloneConfigLoader(string? configuredPath, IReadOnlyList<string> defaultCandidates, int defaultListenerPort, ITlsFileProbe? tlsFiles = null)
    {
        _validation = new ValidationOptions { TlsFiles = tlsFiles ?? LocalTlsFileProbe.Instance };
        _configuredPath = string.IsNullOrWhiteSpace(configuredPath) ? null : Path.GetFullPath(configuredPath);
        _defaultCandidates = defaultCandidates;
        _defaultListenerPort = defaultListenerPort;
    }

    string? IStandaloneConfigSource.Path => ResolvePath();

    public string? ResolvePath() => _configuredPath ?? _defaultCandidates.Select(Path.GetFullPath).FirstOrDefault(File.Exists);

    public StandaloneLoadResult Load()
    {
        var path = ResolvePath();
        if (path is null)
        {
            return new StandaloneLoadResult(StandaloneLoadStatus.NotConfigured, null, [], "no standalone config file is configured");
        }

        if (Directory.Exists(path))
        {
            return Invalid(path, [new FieldViolation(path, "is a directory, not a file")]);
        }

        if (!File.Exists(path))
        {
            return new StandaloneLoadResult(StandaloneLoadStatus.Missing, null, [], $"the standalone config file {path} (ALB_CONFIG_FILE) does not exist");
        }

        ConfigFile? document;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            document = JsonSerializer.Deserialize<ConfigFile>(stream, ConfigFileJson.Options);
        }
        catch (JsonException ex)
        {
            return Invalid(path, [new FieldViolation(ConfigFileJson.ConfigurationPath(ex.Path), JsonErrors.Describe(ex))]);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Invalid(path, [new FieldViolation(path, ex.Message)]);
        }

        if (document?.Proxy is null)
        {
            return Invalid(path, [new FieldViolation(ConfigFile.SectionName, "the section is missing")]);
        }

        var (state, violations) = StandaloneConfigMapper.Map(document.Proxy, _defaultListenerPort, _validation);
        return state is null
            ? Invalid(path, violations)
            : new StandaloneLoadResult(StandaloneLoadStatus.Loaded, state, [], $"loaded {path}");
    }

    private static StandaloneLoadResult Invalid(string path, IReadOnlyList<FieldViolation> violations) =>
        new(StandaloneLoadStatus.Invalid, null, violations,
            $"the standalone config file {path} is invalid: {string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"))}");
}
