using MarchProxy.ControlPlane.Re2;

namespace MarchProxy.ControlPlane.Tests.Re2;

/// <summary>
/// The pure .NET checker against the real RE2 library: the same verdict and the same program size for
/// a corpus of hand-picked and random expressions. Needs g++ and libre2-dev (test/install-prerequisites.sh installs them).
/// </summary>
[Category("Re2")]
public sealed class Re2CrossCheckTests
{
    private const int RandomCount = 4000;

    private Re2Probe? _probe;
    private string _reason = string.Empty;

    private static readonly string[] HandPicked =
    [
        "^abc$", ".", "[^a]", "(?i)k", "^/api/.*", "abc|abd|aef|bcx|bcy", "\\x{41}", "(?P<n>a)", "a{1001}", "\\Z", "\\e",
        "(?x)a", "\\p{IsGreek}", "(?n)a", "(?<n>a)", "", "(?P<n>a)(?P<n>b)", "(?P<>a)", "(?-)a", "a**", "a*??", "\\8",
        "\\08", "\\Qab", "[]a]", "[^]a]", "x{2}{3}", "x{,3}", "(?:)", "|", "(?i)\\x{212A}", "(?s).", "\\C", "[[:foo:]]",
        "a|a", "a|[bc]|d", "(?i)a|a", "^a|^b", "(?:a{2}b|a{2}c)", "a*a*", "a{2,}a{3,5}", "(?:x{10}){100}", "(?:x{10}){101}",
        "(?:\\b){2}", "((((^a))))", "(((((^a)))))", "(?i)[k-s]", "(?i)\\W", "(?i)[[:^upper:]]", "[\\x{D7FF}-\\x{E000}]",
        "[\\x{FFFF}-\\x{10000}]", "[a\\x{80}-\\x{10FFFF}]", "\\C*$", "(?:a|\\C)*", "x*?\\C*",
        "/api/(?P<version>v[0-9]+)/users/(?P<id>[0-9]+)", ".*\\.(jpg|jpeg|png|gif|webp)$",
        "(alpha|beta|gamma|delta|epsilon|zeta|eta|theta|iota|kappa|lambda|mu|nu|xi|omicron|pi|rho|sigma|tau|upsilon)",
    ];

    [OneTimeSetUp]
    public async Task BuildProbe() => (_probe, _reason) = await Re2Probe.TryCreateAsync();

    [OneTimeTearDown]
    public void DisposeProbe() => _probe?.Dispose();

    [Test]
    public async Task Check_HandPickedAndRandomExpressions_AgreesWithRe2OnValidityAndProgramSize()
    {
        var probe = ProbeOrIgnore();
        var random = new Random(20240601);
        var corpus = HandPicked.Concat(Enumerable.Range(0, RandomCount).Select(_ => RandomRegex.Next(random))).ToList();
        var expected = await probe.ProgramSizesAsync(corpus);

        var mismatches = new List<string>();
        var compared = 0;
        for (var i = 0; i < corpus.Count; i++)
        {
            var verdict = Re2Syntax.Check(corpus[i], maxProgramSize: int.MaxValue - 1, budget: 100_000);
            if (verdict.Status == Re2Status.Unsupported)
            {
                continue;
            }

            compared++;
            var actual = verdict.Status == Re2Status.Invalid ? -1 : verdict.ProgramSize;
            if (actual != expected[i])
            {
                mismatches.Add($"{corpus[i]}: RE2 {expected[i]}, checker {actual} ({verdict.Message})");
            }
        }

        mismatches.Should().BeEmpty();
        compared.Should().BeGreaterThan(corpus.Count * 9 / 10, "only a few expressions may fall outside the supported subset");
        expected.Count(s => s >= 0).Should().BeGreaterThan(corpus.Count / 3, "the corpus must hold plenty of valid expressions");
        expected.Count(s => s < 0).Should().BeGreaterThan(corpus.Count / 10, "and plenty of invalid ones");
    }

    [Test]
    public async Task Check_UnsupportedConstructs_AreValidRe2ThatTheCheckerRefuses()
    {
        var probe = ProbeOrIgnore();
        string[] unsupported = ["\\p{Greek}", "\\pL", "[\\p{Han}a]", "(?i)é", "(?i)[α-ω]", "a|(?i)a", "(?P<ñ>a)"];

        var sizes = await probe.ProgramSizesAsync(unsupported);

        sizes.Should().OnlyContain(s => s > 0, "RE2 accepts every one of them");
        unsupported.Select(p => Re2Syntax.Check(p).Status).Should().AllBeEquivalentTo(Re2Status.Unsupported);
    }

    private Re2Probe ProbeOrIgnore()
    {
        if (_probe is null)
        {
            Assert.Ignore(_reason);
        }

        return _probe!;
    }
}
