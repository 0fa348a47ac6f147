using Xunit;

namespace GoNetTools.Tests.GoProxy;

/// <summary>
/// The stability runs load loopback at thousands of requests per second for seconds at a time. They run alone,
/// not beside other tests: their TIME_WAIT and rate figures stay theirs, and loopback captures elsewhere do not
/// drop packets under their load.
/// </summary>
[CollectionDefinition("GoProxyLoad", DisableParallelization = true)]
public sealed class GoProxyLoadCollection
{
}
