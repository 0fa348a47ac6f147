using System.Management.Automation;
using GoNetTools.Analysis;

namespace GoNetTools.Commands;

/// <summary>
/// Get-TlsHandshake: one object per TLS ClientHello in pcap/pcapng captures — SNI, offered ALPN and
/// versions, cipher-suite count, the ServerHello's version, and how long the handshake took on the wire.
/// A ClientHello split over segments or captured out of order is reassembled.
/// </summary>
[Cmdlet(VerbsCommon.Get, "TlsHandshake", DefaultParameterSetName = PathSet)]
[OutputType(typeof(TlsHandshake))]
public sealed class GetTlsHandshakeCommand : CaptureFileCommandBase
{
    /// <summary>Keep only handshakes whose SNI matches one of these patterns (wildcards allowed).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[]? Sni { get; set; }

    private WildcardPattern[]? _patterns;

    private protected override AnalysisOutputs Outputs => AnalysisOutputs.Handshakes;

    private protected override string Activity => "Reading TLS handshakes";

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (Sni is not null)
        {
            _patterns = System.Array.ConvertAll(Sni, s => new WildcardPattern(s, WildcardOptions.IgnoreCase));
            for (var i = 0; i < _patterns.Length; i++)
            {
                // WildcardPattern parses lazily: check each now, so a bad pattern is the user's error, not a "broken capture".
                try
                {
                    _patterns[i].IsMatch("");
                }
                catch (WildcardPatternException e)
                {
                    ThrowTerminating(ErrorIds.InvalidWildcardPattern, ErrorCategory.InvalidArgument, Sni[i],
                        $"-Sni '{Sni[i]}' is not a valid wildcard pattern: {e.Message}",
                        "Use *, ? and [abc] / [a-z] with closed brackets; to match a literal '[' write '`['.", e);
                }
            }
        }
    }

    private protected override void OnResult(object result)
    {
        if (result is TlsHandshake handshake && Matches(handshake.Sni))
        {
            WriteObject(handshake);
        }
    }

    private bool Matches(string? sni)
    {
        if (_patterns is null)
        {
            return true;
        }
        foreach (var p in _patterns)
        {
            if (p.IsMatch(sni ?? ""))
            {
                return true;
            }
        }
        return false;
    }
}
