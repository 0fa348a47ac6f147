using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace GoNetTools.Lab;

/// <summary>Bad command-line input: the lab reports it on the control channel and exits 2.</summary>
internal sealed class LabArgumentException(string message) : Exception(message);

/// <summary>
/// The lab's command line. Every fault is off by default; a default lab is a healthy HTTP/2 proxy over TLS
/// on 127.0.0.1 with a free port and a small synthetic catalog.
/// </summary>
internal sealed class LabOptions
{
    public IPAddress Address { get; private set; } = IPAddress.Loopback;
    public int Port { get; private set; }
    public bool Cleartext { get; private set; }
    public string? ModuleRoot { get; private set; }
    public int SyntheticModules { get; private set; } = -1;
    public int SyntheticVersions { get; private set; } = 2;
    public int SyntheticSize { get; private set; } = 16 * 1024;
    public string? CertificateDirectory { get; private set; }
    /// <summary>Remove <see cref="CertificateDirectory"/> on exit (the module's private directory: whoever ends first cleans).</summary>
    public bool OwnsCertificateDirectory { get; private set; }

    // Faults
    public bool Http1Only { get; private set; }
    public int CloseAfterRequests { get; private set; }
    public int GoAwayAfterStreams { get; private set; }
    public double ResetStreamPercent { get; private set; }
    public TimeSpan Latency { get; private set; }
    public TimeSpan HandshakeDelay { get; private set; }
    public int MaxConcurrentStreams { get; private set; }
    public int TooManyRequestsEvery { get; private set; }
    public TimeSpan RetryAfter { get; private set; } = TimeSpan.FromSeconds(1);
    public int ReloadAfterRequests { get; private set; }

    /// <summary>Synthetic modules actually generated: the option, else 8 when no module root is given.</summary>
    public int EffectiveSyntheticModules => SyntheticModules >= 0 ? SyntheticModules : ModuleRoot is null ? 8 : 0;

    public static LabOptions Parse(IReadOnlyList<string> args)
    {
        var o = new LabOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new LabArgumentException($"{name} needs a value");
            switch (name)
            {
                case "--address": o.Address = IPAddress.TryParse(Value(), out var a) ? a : throw new LabArgumentException($"--address: '{args[i]}' is not an IP address"); break;
                case "--port": o.Port = Int(name, Value(), 0, 65535); break;
                case "--cleartext": o.Cleartext = true; break;
                case "--module-root": o.ModuleRoot = Value(); break;
                case "--synthetic-modules": o.SyntheticModules = Int(name, Value(), 0, 10_000); break;
                case "--synthetic-versions": o.SyntheticVersions = Int(name, Value(), 1, 100); break;
                case "--synthetic-size": o.SyntheticSize = Int(name, Value(), 0, 64 * 1024 * 1024); break;
                case "--certificate-dir": o.CertificateDirectory = Value(); break;
                case "--owns-certificate-dir": o.OwnsCertificateDirectory = true; break;
                case "--http1-only": o.Http1Only = true; break;
                case "--close-after-requests": o.CloseAfterRequests = Int(name, Value(), 0, int.MaxValue); break;
                case "--goaway-after-streams": o.GoAwayAfterStreams = Int(name, Value(), 0, int.MaxValue); break;
                case "--reset-stream-percent": o.ResetStreamPercent = Percent(name, Value()); break;
                case "--latency": o.Latency = Duration(name, Value()); break;
                case "--handshake-delay": o.HandshakeDelay = Duration(name, Value()); break;
                case "--max-concurrent-streams": o.MaxConcurrentStreams = Int(name, Value(), 0, int.MaxValue); break;
                case "--too-many-requests-every": o.TooManyRequestsEvery = Int(name, Value(), 0, int.MaxValue); break;
                case "--retry-after": o.RetryAfter = Duration(name, Value()); break;
                case "--reload-after-requests": o.ReloadAfterRequests = Int(name, Value(), 0, int.MaxValue); break;
                default: throw new LabArgumentException($"unknown option '{name}'");
            }
        }
        if (o.ModuleRoot is null && o.EffectiveSyntheticModules == 0)
        {
            throw new LabArgumentException("nothing to serve: give --module-root or --synthetic-modules N (N > 0)");
        }
        return o;
    }

    /// <summary>The faults in effect, as name → value; empty for a healthy lab.</summary>
    public IReadOnlyDictionary<string, string> Faults()
    {
        var f = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Http1Only) f["Http1Only"] = "true";
        if (CloseAfterRequests > 0) f["CloseAfterRequests"] = CloseAfterRequests.ToString(CultureInfo.InvariantCulture);
        if (GoAwayAfterStreams > 0) f["GoAwayAfterStreams"] = GoAwayAfterStreams.ToString(CultureInfo.InvariantCulture);
        if (ResetStreamPercent > 0) f["ResetStreamPercent"] = ResetStreamPercent.ToString(CultureInfo.InvariantCulture);
        if (Latency > TimeSpan.Zero) f["Latency"] = Latency.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        if (HandshakeDelay > TimeSpan.Zero) f["HandshakeDelay"] = HandshakeDelay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        if (MaxConcurrentStreams > 0) f["MaxConcurrentStreams"] = MaxConcurrentStreams.ToString(CultureInfo.InvariantCulture);
        if (TooManyRequestsEvery > 0)
        {
            f["TooManyRequestsEvery"] = TooManyRequestsEvery.ToString(CultureInfo.InvariantCulture);
            f["RetryAfter"] = RetryAfter.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        }
        if (ReloadAfterRequests > 0) f["ReloadAfterRequests"] = ReloadAfterRequests.ToString(CultureInfo.InvariantCulture);
        return f;
    }

    private static int Int(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new LabArgumentException($"{name}: '{text}' is not an integer in {min}..{max}");

    private static double Percent(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && v <= 100
            ? v
            : throw new LabArgumentException($"{name}: '{text}' is not a percentage in 0..100");

    /// <summary>"250ms", "9s", "1.5s", "2m", a bare number of milliseconds, or a TimeSpan ("00:00:09").</summary>
    internal static TimeSpan Duration(string name, string text)
    {
        var t = text.Trim();
        (string number, double scale) = t.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (t[..^2], 1.0)
            : t.EndsWith('s') ? (t[..^1], 1000.0)
            : t.EndsWith('m') ? (t[..^1], 60_000.0)
            : (t, 1.0);
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value <= 3_600_000)
        {
            return TimeSpan.FromMilliseconds(value * scale);
        }
        if (TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
        {
            return span;
        }
        throw new LabArgumentException($"{name}: '{text}' is not a duration (250ms, 9s, 00:00:09)");
    }
}
