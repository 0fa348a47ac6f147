using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using GoNetTools.Foundation;
using GoNetTools.Platform.MacOS;
using Xunit;

namespace GoNetTools.Tests.Platform.MacOS;

/// <summary>netstat -s -p tcp: stable names for every number, and the typed TcpStatistic built from them.</summary>
public sealed class MacNetstatStatsParserTests
{
    private static OrderedDictionary Parse(TextReader reader, List<string> warnings)
    {
        var raw = new OrderedDictionary(StringComparer.Ordinal);
        MacNetstatStatsParser.Parse(reader, raw, "netstat -s -p tcp", warnings.Add);
        return raw;
    }

    internal static OrderedDictionary ParseFixture()
    {
        var warnings = new List<string>();
        using var reader = new StreamReader(MacNetstatTableParserTests.FixturePath("netstat-s-tcp.txt"));
        var raw = Parse(reader, warnings);
        Assert.Empty(warnings);
        return raw;
    }

    [SkippableFact]
    public void Every_number_is_kept_under_a_name_made_from_its_line()
    {
        var raw = ParseFixture();
        Assert.Equal(2374621L, raw["PacketSent"]);
        Assert.Equal(1450232L, raw["PacketSent_DataPacket"]);
        Assert.Equal(1129827654L, raw["PacketSent_DataPacket_Byte"]);
        Assert.Equal(3361L, raw["PacketSent_DataPacketRetransmitted"]);
        Assert.Equal(3105612L, raw["PacketSent_DataPacketRetransmitted_Byte"]);
        Assert.Equal(26310L, raw["PacketSent_AckOnlyPacket_Delayed"]);
        Assert.Equal(1233540L, raw["PacketSent_ChecksummedInSoftware_SegmentOverIPv4"]);
        Assert.Equal(2932143L, raw["PacketReceived_ChecksummedInSoftware_SegmentOverIPv4"]);
        Assert.Equal(1129004433L, raw["PacketReceived_Ack_Byte"]);
        Assert.Equal(3042881002L, raw["PacketReceived_PacketReceivedInSequence_Byte"]);
        Assert.Equal(12960L, raw["PacketReceived_PacketWithSomeDupData_ByteDuped"]);
        Assert.Equal(7361L, raw["ConnectionRequest"]);
        Assert.Equal(8612L, raw["ConnectionEstablished"]); // "(including accepts)" is a remark, not part of the name
        Assert.Equal(711L, raw["ConnectionClosed_Drop"]);
        Assert.Equal(1047727L, raw["SegmentUpdatedRtt_Attempt"]);
        Assert.Equal(35L, raw["IgnoredRSTInTheWindow"]);
        Assert.Equal(21L, raw["RetransmitTimeout_ConnectionDroppedByRexmitTimeout"]);
        Assert.Equal(3122L, raw["SACKOptionReceived"]);
        Assert.Equal(77, raw.Count); // every integer in the fixture (62 lines, 15 of them with a second number)
    }

    [SkippableFact]
    public void Numbers_inside_a_label_stay_in_the_name_and_never_become_counters()
    {
        var warnings = new List<string>();
        OrderedDictionary raw;
        using (var reader = new StreamReader(MacNetstatTableParserTests.FixturePath("netstat-s-tcp-timers-lro.txt")))
        {
            raw = Parse(reader, warnings);
        }
        Assert.Empty(warnings);
        Assert.Equal(17L, raw["LROCoalescedPacket_TimeLROCoalesced3Or4Packet"]);
        Assert.Equal(31L, raw["LROCoalescedPacket_TimeLROCoalesced2Packet"]);
        Assert.Equal(5L, raw["LROCoalescedPacket_TimeLROCoalesced5OrMorePacket"]);
        Assert.Equal(812L, raw["TimerDriftLessOrEqualTo10Ms"]);
        Assert.Equal(1L, raw["TimerDriftLessOrEqualTo500Ms"]);
        Assert.Equal(0L, raw["TimerDriftLessOrEqualTo1000Ms"]);
        Assert.Equal(2L, raw["TimerDriftGreaterThanTo1000Ms"]);
        // One counter per line (plus the one "(3400 bytes)"): no threshold became a value, no name needed a _2.
        Assert.Equal(20, raw.Count);
        Assert.DoesNotContain(raw.Keys.Cast<string>(), k => k.EndsWith("_2", StringComparison.Ordinal) || k.Contains("_Ms", StringComparison.Ordinal));
        // Names do not depend on order: the last drift line alone gives the same name.
        var alone = Parse(new StringReader("tcp:\n\t7 timer drifts less or equal to 10 ms\n"), new List<string>());
        Assert.Equal(new[] { "TimerDriftLessOrEqualTo10Ms" }, Keys(alone));
    }

    [SkippableFact]
    public void Singular_and_plural_lines_give_the_same_name()
    {
        var one = Parse(new StringReader("tcp:\n\t1 packet sent\n\t\t1 data packet (1 byte) retransmitted\n\t1 connection request\n"), new List<string>());
        var two = Parse(new StringReader("tcp:\n\t2 packets sent\n\t\t2 data packets (9 bytes) retransmitted\n\t2 connection requests\n"), new List<string>());
        Assert.Equal(new[] { "PacketSent", "PacketSent_DataPacketRetransmitted", "PacketSent_DataPacketRetransmitted_Byte", "ConnectionRequest" }, Keys(one));
        Assert.Equal(Keys(one), Keys(two));
        Assert.Equal(9L, two["PacketSent_DataPacketRetransmitted_Byte"]);
    }

    [SkippableFact]
    public void Lines_without_a_count_are_skipped_with_a_warning_naming_them()
    {
        var warnings = new List<string>();
        var raw = Parse(new StringReader("tcp:\n\t5 packets sent\n\tsomething odd happened\n\t\t7 data packets (8 bytes)\n\t-3 negative things\n"), warnings);
        Assert.Equal(5L, raw["PacketSent"]);
        Assert.Equal(7L, raw["PacketSent_DataPacket"]);
        Assert.Equal(2, warnings.Count);
        Assert.Contains("line 3", warnings[0]);
        Assert.Contains("something odd happened", warnings[0]);
        Assert.Contains("line 5", warnings[1]);
    }

    [SkippableFact]
    public void Repeated_text_under_one_parent_keeps_both_numbers()
    {
        var raw = Parse(new StringReader("\t3 window update packets\n\t4 window update packets\n"), new List<string>());
        Assert.Equal(3L, raw["WindowUpdatePacket"]);
        Assert.Equal(4L, raw["WindowUpdatePacket_2"]);
    }

    [SkippableFact]
    public void ToStatistic_maps_the_BSD_counters_onto_the_typed_fields()
    {
        var raw = ParseFixture();
        raw[MacTcpStatistic.TimeWaitCountName] = 3L;
        raw[MacTcpStatistic.CurrEstabName] = 5L;
        var stat = MacTcpStatistic.FromRaw(raw, new DateTime(2026, 11, 23), "host", null, null);

        Assert.Equal(7361, stat.ActiveOpens);
        Assert.Equal(1290, stat.PassiveOpens);
        Assert.Equal(38, stat.AttemptFails);       // embryonic connections dropped, not "bad connection attempts" (4)
        Assert.Equal(711, stat.EstabResets);
        Assert.Equal(5, stat.CurrEstab);
        Assert.Equal(3204866, stat.InSegs);
        Assert.Equal(2374621, stat.OutSegs);
        Assert.Equal(3361, stat.RetransSegs);
        Assert.Equal(7, stat.InErrs);               // 2 bad checksums + 1 bad offset + 4 too short
        Assert.Equal(3, stat.TimeWaitCount);
        Assert.Equal(6, stat.ListenOverflows);
        Assert.Equal(2914, stat.Timeouts);
        Assert.Equal(1450232, stat.OrigDataSent);
        Assert.Equal(3361.0 / 1450232, stat.RetransmitRate!.Value, 12);
        Assert.Null(stat.TimeWaitEntries);
        Assert.Null(stat.SynRetrans);
        Assert.Same(raw, stat.Raw);
    }

    [SkippableFact]
    public void Interval_deltas_keep_the_populations_as_gauges()
    {
        var before = ParseFixture();
        before[MacTcpStatistic.TimeWaitCountName] = 3L;
        before[MacTcpStatistic.CurrEstabName] = 5L;
        var after = ParseFixture();
        after["ConnectionRequest"] = 7461L;
        after["PacketSent_DataPacket"] = 1451232L;
        after["PacketSent_DataPacketRetransmitted"] = 3371L;
        after[MacTcpStatistic.TimeWaitCountName] = 120L;
        after[MacTcpStatistic.CurrEstabName] = 4L;

        var (delta, rates) = TcpStatisticMath.Delta(before, after, TimeSpan.FromSeconds(4));
        var stat = MacTcpStatistic.FromRaw(delta, DateTime.Now, "host", TimeSpan.FromSeconds(4), rates);

        Assert.Equal(100, stat.ActiveOpens);
        Assert.Equal(120, stat.TimeWaitCount);
        Assert.Equal(4, stat.CurrEstab);
        Assert.Equal(0.01, stat.RetransmitRate!.Value, 9);
        Assert.Equal(25.0, (double)rates["ConnectionRequest"]!);
    }

    private static List<string> Keys(OrderedDictionary raw)
    {
        var keys = new List<string>();
        foreach (var key in raw.Keys)
        {
            keys.Add((string)key);
        }
        return keys;
    }
}
