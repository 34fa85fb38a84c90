namespace MarchProxy.ControlPlane.Tests.Server.Model;

/// <summary>An invariant of the ADS state machine broke in a model run.</summary>
internal sealed class ModelViolationException(string message) : Exception(message);
