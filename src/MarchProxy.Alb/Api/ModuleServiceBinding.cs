using Google.Protobuf;
using Grpc.Core;
using MarchProxy.Api.V1;
using MarchProxy.ControlPlane.Server;

namespace MarchProxy.Alb.Api;

/// <summary>
/// Binds ModuleService like the generated code does, with one difference: a request body that is not a
/// valid message of the method's request type fails with INVALID_ARGUMENT (not UNKNOWN with a stack
/// trace in the log) and is reported to <see cref="UndecodableRequests"/>. gRPC decodes a unary request
/// before any interceptor runs, so this is the place; the API key has been checked before
/// (<see cref="ApiKeyMiddleware"/>).
/// </summary>
public static class ModuleServiceBinding
{
    /// <summary>
    /// Called by gRPC's service discovery (<see cref="BindServiceMethodAttribute"/> on <see cref="ModuleServiceImpl"/>).
    /// The second parameter is the generated base type: gRPC resolves each method as an override of it.
    /// </summary>
    public static void Bind(ServiceBinderBase binder, ModuleService.ModuleServiceBase? service) =>
        ModuleService.BindService(new DecodingBinder(binder), service);

    private static Method<TRequest, TResponse> WithCheckedDecoding<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var inner = method.RequestMarshaller;
        var messageType = typeof(TRequest).Name;
        var marshaller = new Marshaller<TRequest>(inner.ContextualSerializer, context =>
        {
            try
            {
                return inner.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException)
            {
                // The accessor reads the request's HttpContext from the async flow (set because
                // AddModuleApi registers IHttpContextAccessor).
                if (new HttpContextAccessor().HttpContext is { } http)
                {
                    http.RequestServices.GetRequiredService<UndecodableRequests>().Report(method.FullName, CallerIdentity.Describe(http), messageType);
                }

                throw new RpcException(new Status(StatusCode.InvalidArgument, $"the request body is not a valid {messageType} message"));
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }

    private sealed class DecodingBinder(ServiceBinderBase inner) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(WithCheckedDecoding(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(WithCheckedDecoding(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(WithCheckedDecoding(method), handler);

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            inner.AddMethod(WithCheckedDecoding(method), handler);
    }
}
