using MarchProxy.ControlPlane.Re2;

namespace MarchProxy.ControlPlane.Tests.Re2;

public sealed class Re2SyntaxTests
{
    [TestCase("\\Z")]
    [TestCase("\\e")]
    [TestCase("a{1001}")]
    [TestCase("(?x)a b")]
    [TestCase("\\p{IsGreek}")]
    [TestCase("(?n)a")]
    [TestCase("(?<n>a)")]
    [TestCase("(?=a)")]
    [TestCase("a**")]
    [TestCase("(unclosed")]
    [TestCase("\\1")]
    public void Check_SyntaxRe2Refuses_IsInvalid(string pattern)
    {
        var verdict = Re2Syntax.Check(pattern);

        verdict.Status.Should().Be(Re2Status.Invalid);
        verdict.Message.Should().StartWith("is not valid RE2");
    }

    [TestCase("(?P<n>a)", 7)]
    [TestCase("\\x{41}", 5)]
    [TestCase("^/api/.*", 12)]
    [TestCase("^abc$", 4)]
    [TestCase("/api/v[0-9]+/users/[a-z0-9-]+", 23)]
    public void Check_ValidRe2_ReportsRe2sProgramSize(string pattern, int re2Size)
    {
        var verdict = Re2Syntax.Check(pattern);

        verdict.Status.Should().Be(Re2Status.Valid);
        verdict.ProgramSize.Should().Be(re2Size, "the size libre2 reports for it");
    }

    [Test]
    public void Check_LongAlternation_IsRefusedOverEnvoysLimit()
    {
        // 139 characters of alternation; libre2 compiles it to 115 instructions.
        const string pattern = "(alpha|beta|gamma|delta|epsilon|zeta|eta|theta|iota|kappa|lambda|mu|nu|xi|omicron|pi|rho|sigma|tau|upsilon|phi|chi|psi|omega|one|two|three)";
        pattern.Length.Should().Be(139);

        var verdict = Re2Syntax.Check(pattern);

        verdict.Status.Should().Be(Re2Status.TooLarge);
        verdict.ProgramSize.Should().Be(115);
        verdict.Message.Should().Contain("over Envoy's limit of 100");
    }

    [Test]
    public void Check_AtTheLimit_IsValidAndOneMoreIsNot()
    {
        // Each extra character of a literal adds one instruction.
        var atLimit = Enumerable.Range(1, 200).Select(n => new string('x', n)).First(p => Re2Syntax.Check(p, int.MaxValue).ProgramSize == 100);

        Re2Syntax.Check(atLimit).Status.Should().Be(Re2Status.Valid);
        Re2Syntax.Check(atLimit + "x").Status.Should().Be(Re2Status.TooLarge);
    }

    [TestCase("\\p{Greek}")]
    [TestCase("(?i)é")]
    public void Check_ValidButUnsized_IsUnsupportedNamingTheConstruct(string pattern)
    {
        var verdict = Re2Syntax.Check(pattern);

        verdict.Status.Should().Be(Re2Status.Unsupported);
        verdict.Message.Should().Contain("not supported");
    }

    [Test]
    public void Check_SyntaxErrorAfterUnsupportedConstruct_ReportsTheError()
    {
        Re2Syntax.Check("\\p{Greek}(").Status.Should().Be(Re2Status.Invalid);
    }

    [Test]
    public void Check_HugeRepetition_StopsAtTheBudget()
    {
        var verdict = Re2Syntax.Check("(?:[a-z0-9]{10}){100}");

        verdict.Status.Should().Be(Re2Status.TooLarge);
    }

    [Test]
    public void Check_LoneSurrogate_IsInvalidUtf8()
    {
        Re2Syntax.Check("a\uD800b").Status.Should().Be(Re2Status.Invalid);
    }
}
