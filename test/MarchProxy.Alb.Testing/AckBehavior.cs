namespace MarchProxy.Alb.Testing;

public enum AckBehavior
{
    Ack = 0,
    Nack = 1,
    Silent = 2,
}
