using System.Net;
using GoNetTools.Foundation;
using Xunit;
using GoNetTools.Tcp;

namespace GoNetTools.Tests.Tcp;

public sealed class AddressFilterTests
{
    [SkippableTheory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("192.168.1.128/25", "192.168.1.200", true)]
    [InlineData("192.168.1.128/25", "192.168.1.100", false)]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("127.0.0.0/8", "::ffff:127.0.0.9", true)]
    [InlineData("2001:db8::/32", "2001:db8:1::5", true)]
    [InlineData("2001:db8::/32", "2001:db9::5", false)]
    [InlineData("::1", "127.0.0.1", false)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    public void Prefix_matching(string prefix, string address, bool expected)
    {
        Assert.True(AddressPrefix.TryParse(prefix, out var p));
        Assert.Equal(expected, p.Contains(IPAddress.Parse(address)));
    }

    [SkippableTheory]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0/8")]
    [InlineData("fe80::/129")]
    [InlineData("example.com")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("10.0.0.0/-1")]
    public void Bad_prefixes_are_refused(string text) => Assert.False(AddressPrefix.TryParse(text, out _));
}
