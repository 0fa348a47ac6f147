using System.Linq;
using GoNetTools.Metrics;
using GoNetTools.Metrics.Inputs;
using Xunit;

namespace GoNetTools.Tests.Report;

public sealed class MetricUnitTests
{
    [SkippableFact]
    public void Remote_port_label_keeps_the_20_busiest_ports_and_sums_the_rest_as_other()
    {
        var set = new MetricSet();
        for (var port = 1; port <= 30; port++)
        {
            for (var i = 0; i < port; i++)
            {
                MetricInputs.Add(new TcpConnection { RemotePort = port, State = TcpState.TimeWait }, set);
            }
        }
        MetricInputs.Add(new TcpConnection { RemotePort = 9999, State = TcpState.Established }, set);
        MetricInputs.Finish(set);
        var lines = MetricText.Write(set, MetricFormat.Prometheus).Split('\n').Where(l => l.StartsWith("gonettools_tcp_time_wait_sockets{", System.StringComparison.Ordinal)).ToList();
        Assert.Equal(21, lines.Count);
        Assert.Contains("gonettools_tcp_time_wait_sockets{remote_port=\"30\"} 30", lines);
        Assert.Contains("gonettools_tcp_time_wait_sockets{remote_port=\"11\"} 11", lines);
        Assert.DoesNotContain(lines, l => l.Contains("remote_port=\"10\"", System.StringComparison.Ordinal));
        Assert.Contains($"gonettools_tcp_time_wait_sockets{{remote_port=\"other\"}} {Enumerable.Range(1, 10).Sum()}", lines);
    }

    [SkippableFact]
    public void Label_values_and_help_are_escaped_and_a_repeated_label_set_keeps_the_last_value()
    {
        var set = new MetricSet();
        set.Gauge("gonettools_test", "line one\nback\\slash", 1, ("proxy", "a\"b\\c\nd"));
        set.Gauge("gonettools_test", "ignored", 2, ("proxy", "a\"b\\c\nd"));
        var text = MetricText.Write(set, MetricFormat.OpenMetrics);
        Assert.Equal("# HELP gonettools_test line one\\nback\\\\slash\n# TYPE gonettools_test gauge\ngonettools_test{proxy=\"a\\\"b\\\\c\\nd\"} 2\n# EOF\n", text);
    }
}
