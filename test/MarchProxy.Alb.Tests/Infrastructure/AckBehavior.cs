namespace MarchProxy.Alb.Tests.Infrastructure;

public enum AckBehavior
{
    Ack = 0,
    Nack = 1,
    Silent = 2,
}
