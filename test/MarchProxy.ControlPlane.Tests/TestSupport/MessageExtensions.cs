using Google.Protobuf;

namespace MarchProxy.ControlPlane.Tests.TestSupport;

internal static class MessageExtensions
{
    /// <summary>Applies <paramref name="change"/> to <paramref name="message"/> and returns it, for building variants inline.</summary>
    public static T Also<T>(this T message, Action<T> change)
        where T : IMessage
    {
        change(message);
        return message;
    }
}
