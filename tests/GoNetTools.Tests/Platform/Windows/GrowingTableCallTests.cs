using System;
using System.Linq;
using System.Runtime.InteropServices;
using GoNetTools.Foundation;
using GoNetTools.Platform;
using GoNetTools.Platform.Windows;
using Xunit;

namespace GoNetTools.Tests.Platform.Windows;

/// <summary>The GetExtendedTcpTable retry loop, driven by a fake call that behaves like iphlpapi.</summary>
public sealed class GrowingTableCallTests
{
    /// <summary>
    /// A table that holds <c>rowsAtCall(n)</c> rows on the n-th call (1-based). Like the real API, it answers
    /// ERROR_INSUFFICIENT_BUFFER with the needed size when the buffer is null or too small.
    /// </summary>
    private sealed class FakeTable
    {
        private readonly byte[] _source = WindowsTcpTableParserTests.Fixture("tcp4-owner-pid.bin");
        private readonly Func<int, int> _rowsAtCall;

        public FakeTable(Func<int, int> rowsAtCall) => _rowsAtCall = rowsAtCall;

        public int Calls { get; private set; }

        public uint Call(nint buffer, ref uint size)
        {
            Calls++;
            int rows = _rowsAtCall(Calls);
            uint needed = (uint)(WindowsTcpTableParser.HeaderSize + rows * WindowsTcpTableParser.IPv4RowSize);
            if (buffer == 0 || size < needed)
            {
                size = needed;
                return GrowingTableCall.ErrorInsufficientBuffer;
            }
            var bytes = _source.AsSpan(0, (int)needed).ToArray();
            BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), (uint)rows);
            Marshal.Copy(bytes, 0, buffer, bytes.Length);
            return GrowingTableCall.ErrorSuccess;
        }
    }

    [SkippableFact]
    public void Table_that_grows_between_calls_is_read_again_with_a_bigger_buffer()
    {
        // 2 rows when asked for the size, 7 by the time the buffer comes (more than the 1/8 headroom), then steady.
        var fake = new FakeTable(call => call == 1 ? 2 : 7);

        var table = GrowingTableCall.Read(fake.Call, "fake table");

        Assert.Equal(3, fake.Calls);
        var rows = WindowsTcpTableParser.Parse(table!, IPFamily.IPv4, new TcpStateQuery(), new AddressTextCache(), "fake", _ => Assert.Fail("no warning expected")).ToList();
        Assert.Equal(7, rows.Count);
        Assert.Equal(8080, rows[4].LocalPort);
    }

    [SkippableFact]
    public void Small_growth_fits_in_the_headroom_without_another_call()
    {
        var fake = new FakeTable(call => call == 1 ? 6 : 7);
        var table = GrowingTableCall.Read(fake.Call, "fake table");
        Assert.Equal(2, fake.Calls);
        Assert.Equal(7, WindowsTcpTableParser.Parse(table!, IPFamily.IPv4, new TcpStateQuery(), new AddressTextCache(), "f", _ => Assert.Fail("no warning expected")).Count());
    }

    [SkippableFact]
    public void Table_that_never_stops_growing_gives_up_with_an_error()
    {
        var fake = new FakeTable(call => Math.Min(7, call)); // each call needs more than the last buffer... until 7
        Assert.NotNull(GrowingTableCall.Read(fake.Call, "fake table")); // positive control: a growth that stops is read

        uint calls = 0;
        uint Forever(nint buffer, ref uint size)
        {
            calls++;
            size = size * 2 + 1000;
            return GrowingTableCall.ErrorInsufficientBuffer;
        }
        var e = Assert.Throws<GoNetToolsException>(() => GrowingTableCall.Read(Forever, "fake table"));
        Assert.Equal(ErrorIds.TcpTableUnavailable, e.ErrorId);
        Assert.Equal(FailureKind.OperationFailed, e.Kind);
        Assert.Contains("fake table", e.Message);
        Assert.Equal((uint)GrowingTableCall.MaxAttempts + 1, calls);
    }

    [SkippableFact]
    public void Win32_errors_become_exceptions_with_the_code_and_an_honest_kind()
    {
        uint Denied(nint buffer, ref uint size) => GrowingTableCall.ErrorAccessDenied;
        var denied = Assert.Throws<GoNetToolsException>(() => GrowingTableCall.Read(Denied, "GetExtendedTcpTable (IPv4)"));
        Assert.Equal(FailureKind.PermissionDenied, denied.Kind);
        Assert.Contains("GetExtendedTcpTable (IPv4) failed", denied.Message);
        Assert.Contains("(Win32 error 5)", denied.Message);

        uint BadParameterOnFill(nint buffer, ref uint size)
        {
            size = 100;
            return buffer == 0 ? GrowingTableCall.ErrorInsufficientBuffer : 87u;
        }
        var bad = Assert.Throws<GoNetToolsException>(() => GrowingTableCall.Read(BadParameterOnFill, "t"));
        Assert.Equal(FailureKind.OperationFailed, bad.Kind);
        Assert.Contains("(Win32 error 87)", bad.Message);
    }

    [SkippableFact]
    public void No_data_is_an_empty_table_and_not_supported_can_mean_absent()
    {
        uint NoData(nint buffer, ref uint size) => GrowingTableCall.ErrorNoData;
        Assert.Empty(GrowingTableCall.Read(NoData, "t")!);

        uint NotSupported(nint buffer, ref uint size) => GrowingTableCall.ErrorNotSupported;
        Assert.Null(GrowingTableCall.Read(NotSupported, "IPv6", notSupportedMeansAbsent: true));
        Assert.Throws<GoNetToolsException>(() => GrowingTableCall.Read(NotSupported, "IPv4"));
    }
}
