using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace GoNetTools.Platform.MacOS;

/// <summary>One "Hardware Port" block of `networksetup -listallhardwareports`.</summary>
internal sealed record MacHardwarePort(string Port, string Device, string? Address);

/// <summary>One interface block of `ifconfig -a -v`.</summary>
internal sealed class MacInterface
{
    public string Name { get; init; } = "";
    public int Index { get; set; }
    public long Flags { get; set; }
    public int? Mtu { get; set; }
    public string? Ether { get; set; }
    public List<string> Addresses { get; } = new();
    public string? Media { get; set; }
    public string? Status { get; set; }
    public string? Type { get; set; }
    public double? LinkRateMbps { get; set; }
}

/// <summary>Parsers for the macOS tools' text output (macOS 12-14 formats).</summary>
internal static class MacNicParsers
{
    private static readonly Regex Header = new(@"^(?<name>[A-Za-z0-9_.]+): flags=(?<flags>[0-9a-fA-F]+)<[^>]*>(?: mtu (?<mtu>\d+))?(?: index (?<index>\d+))?", RegexOptions.CultureInvariant);
    private static readonly Regex Inet = new(@"^inet (?<a>\S+) netmask 0x(?<m>[0-9a-fA-F]{8})", RegexOptions.CultureInvariant);
    private static readonly Regex Inet6 = new(@"^inet6 (?<a>[^\s%]+)(%\S+)? prefixlen (?<p>\d+)", RegexOptions.CultureInvariant);
    private static readonly Regex Rate = new(@"^(?:link rate|downlink rate): (?<v>[\d.]+) (?<u>[KMG])bps", RegexOptions.CultureInvariant);

    public static List<MacHardwarePort> HardwarePorts(IEnumerable<string> lines)
    {
        var ports = new List<MacHardwarePort>();
        string? port = null, device = null;
        foreach (var raw in lines.Append(""))
        {
            var line = raw.Trim();
            if (line.StartsWith("Hardware Port:", StringComparison.Ordinal))
            {
                port = line["Hardware Port:".Length..].Trim();
            }
            else if (line.StartsWith("Device:", StringComparison.Ordinal))
            {
                device = line["Device:".Length..].Trim();
            }
            else if (line.StartsWith("Ethernet Address:", StringComparison.Ordinal) && port is not null && device is not null)
            {
                var address = line["Ethernet Address:".Length..].Trim();
                ports.Add(new MacHardwarePort(port, device, address == "N/A" ? null : address.ToLowerInvariant()));
                port = device = null;
            }
        }
        return ports;
    }

    public static List<MacInterface> Ifconfig(IEnumerable<string> lines)
    {
        var result = new List<MacInterface>();
        MacInterface? current = null;
        foreach (var raw in lines)
        {
            var header = Header.Match(raw);
            if (header.Success && !char.IsWhiteSpace(raw[0]))
            {
                current = new MacInterface
                {
                    Name = header.Groups["name"].Value,
                    Flags = long.Parse(header.Groups["flags"].Value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
                    Mtu = header.Groups["mtu"].Success ? int.Parse(header.Groups["mtu"].Value, CultureInfo.InvariantCulture) : null,
                    Index = header.Groups["index"].Success ? int.Parse(header.Groups["index"].Value, CultureInfo.InvariantCulture) : result.Count + 1,
                };
                result.Add(current);
                continue;
            }
            if (current is null)
            {
                continue;
            }
            var line = raw.Trim();
            Match m;
            if (line.StartsWith("ether ", StringComparison.Ordinal))
            {
                current.Ether = line[6..].Trim().ToLowerInvariant();
            }
            else if ((m = Inet.Match(line)).Success)
            {
                var bits = System.Numerics.BitOperations.PopCount(uint.Parse(m.Groups["m"].Value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                current.Addresses.Add($"{m.Groups["a"].Value}/{bits}");
            }
            else if ((m = Inet6.Match(line)).Success)
            {
                current.Addresses.Add($"{m.Groups["a"].Value}/{m.Groups["p"].Value}");
            }
            else if (line.StartsWith("media: ", StringComparison.Ordinal))
            {
                current.Media = line[7..].Trim();
            }
            else if (line.StartsWith("status: ", StringComparison.Ordinal))
            {
                current.Status = line[8..].Trim();
            }
            else if (line.StartsWith("type: ", StringComparison.Ordinal))
            {
                current.Type = line[6..].Trim();
            }
            else if ((m = Rate.Match(line)).Success)
            {
                var value = double.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture);
                current.LinkRateMbps = m.Groups["u"].Value switch { "G" => value * 1000, "K" => value / 1000, _ => value };
            }
        }
        return result;
    }

    /// <summary>Maps one interface, with its hardware port when networksetup lists it.</summary>
    public static NicAdapter Adapter(MacInterface i, MacHardwarePort? port)
    {
        const long IffUp = 0x1, IffLoopback = 0x8, IffRunning = 0x40;
        var kind = KindOf(i, port);
        var up = (i.Flags & IffUp) != 0;
        var status = !up ? NicStatus.Down
            : i.Status is null ? ((i.Flags & IffRunning) != 0 || (i.Flags & IffLoopback) != 0 ? NicStatus.Up : NicStatus.Unknown)
            : i.Status == "active" ? NicStatus.Up : NicStatus.Down;
        var mediaSpeed = i.Media is null ? null : Regex.Match(i.Media, @"\((?<n>\d+)(?<u>[MG])?base") is { Success: true } ms
            ? long.Parse(ms.Groups["n"].Value, CultureInfo.InvariantCulture) * (ms.Groups["u"].Value == "G" ? 1000 : 1) : (long?)null;
        return new NicAdapter
        {
            Name = i.Name,
            DeviceName = i.Name,
            Index = i.Index,
            Kind = kind,
            MacAddress = i.Ether ?? port?.Address,
            Mtu = i.Mtu,
            Status = status,
            LinkSpeedMbps = status != NicStatus.Up ? null : mediaSpeed ?? (i.LinkRateMbps is { } r ? (long)Math.Round(r) : null),
            Duplex = i.Media is null ? NicDuplex.Unknown : i.Media.Contains("full-duplex", StringComparison.Ordinal) ? NicDuplex.Full
                : i.Media.Contains("half-duplex", StringComparison.Ordinal) ? NicDuplex.Half : NicDuplex.Unknown,
            Addresses = i.Addresses.ToArray(),
            RxQueues = 0,
            TxQueues = 0,
            IsPhysical = port is not null && kind is NicKind.Ethernet or NicKind.Wireless,
            Description = port?.Port,
        };
    }

    private static NicKind KindOf(MacInterface i, MacHardwarePort? port)
    {
        if ((i.Flags & 0x8) != 0 || i.Name.StartsWith("lo", StringComparison.Ordinal))
        {
            return NicKind.Loopback;
        }
        if (i.Type == "Wi-Fi" || port?.Port is "Wi-Fi" or "AirPort")
        {
            return NicKind.Wireless;
        }
        if (i.Name.StartsWith("bridge", StringComparison.Ordinal))
        {
            return NicKind.Bridge;
        }
        if (new[] { "utun", "gif", "stf", "ipsec", "ppp" }.Any(p => i.Name.StartsWith(p, StringComparison.Ordinal)))
        {
            return NicKind.Tunnel;
        }
        if (port is not null && i.Ether is not null)
        {
            return NicKind.Ethernet;
        }
        return i.Ether is not null ? NicKind.Virtual : NicKind.Other;
    }

    /// <summary>The BSD name networksetup gives the Wi-Fi or Ethernet port, or null.</summary>
    public static string? AliasTarget(IReadOnlyList<MacHardwarePort> ports, string alias) => alias == AdapterLookup.WiFiAlias
        ? ports.FirstOrDefault(p => p.Port is "Wi-Fi" or "AirPort")?.Device
        : (ports.FirstOrDefault(p => p.Port == "Ethernet") ?? ports.FirstOrDefault(p => p.Port.Contains("Ethernet", StringComparison.Ordinal)))?.Device;
}
