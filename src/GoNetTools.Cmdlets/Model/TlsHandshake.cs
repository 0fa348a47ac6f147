using System;

namespace GoNetTools;

/// <summary>One TLS ClientHello from a capture, with the server's answer where it was captured.</summary>
public sealed class TlsHandshake
{
    /// <summary>When the ClientHello started (UTC).</summary>
    public DateTime Time { get; init; }
    /// <summary>Client endpoint, "address:port".</summary>
    public string Client { get; init; } = "";
    /// <summary>Server endpoint, "address:port".</summary>
    public string Server { get; init; } = "";
    /// <summary>server_name the client asked for, printable ASCII only: any other byte shows as \xNN (a packet cannot drive the terminal).</summary>
    public string? Sni { get; init; }
    /// <summary>server_name exactly as it was on the wire.</summary>
    public byte[]? SniBytes { get; init; }
    /// <summary>ALPN protocols offered ("h2", "http/1.1").</summary>
    public string[] AlpnOffered { get; init; } = Array.Empty<string>();
    /// <summary>Versions offered (supported_versions, GREASE removed; else the legacy version).</summary>
    public string[] OfferedVersions { get; init; } = Array.Empty<string>();
    /// <summary>Cipher suites offered (GREASE removed).</summary>
    public int CipherSuiteCount { get; init; }
    /// <summary>The version the ServerHello chose; null when no ServerHello was captured.</summary>
    public string? ServerVersion { get; init; }
    /// <summary>ALPN chosen, only where the ServerHello shows it (TLS 1.2).</summary>
    public string? AlpnSelected { get; init; }
    /// <summary>Why AlpnSelected is empty when it is.</summary>
    public string? AlpnNote { get; init; }
    /// <summary>ClientHello to the client's ChangeCipherSpec or first encrypted record; null when not seen.</summary>
    public TimeSpan? HandshakeDuration { get; init; }
    /// <summary>True when the hello could not be read whole (snap length, a gap in the capture).</summary>
    public bool Incomplete { get; init; }
    /// <summary>The capture file.</summary>
    public string Path { get; init; } = "";

    /// <summary>"sni (client -> server)".</summary>
    public override string ToString() => $"{Sni ?? "(no SNI)"} ({Client} -> {Server})";
}
