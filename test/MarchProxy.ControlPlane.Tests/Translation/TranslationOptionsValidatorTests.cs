using MarchProxy.ControlPlane.Translation;

namespace MarchProxy.ControlPlane.Tests.Translation;

public sealed class TranslationOptionsValidatorTests
{
    [Test]
    public void Validate_Defaults_Succeeds()
    {
        new TranslationOptionsValidator().Validate(null, new TranslationOptions()).Succeeded.Should().BeTrue();
    }

    [Test]
    public void Validate_BadValues_FailsNamingEachSetting()
    {
        var options = new TranslationOptions
        {
            DefaultListenerPort = 0,
            DefaultListenerAddress = "localhost",
            DefaultListenerName = "",
            RouteConfigurationName = "bad name",
        };

        var result = new TranslationOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.Failures.Should().HaveCount(4).And.OnlyContain(f => f.StartsWith("Translation:", StringComparison.Ordinal));
        result.Failures.Should().Contain(f => f.StartsWith("Translation:DefaultListenerPort:", StringComparison.Ordinal));
        result.Failures.Should().Contain(f => f.StartsWith("Translation:DefaultListenerAddress:", StringComparison.Ordinal));
    }
}
