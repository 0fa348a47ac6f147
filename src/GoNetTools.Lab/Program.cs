using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using GoNetTools.Lab;
using GoNetTools.Lab.Catalog;
using GoNetTools.Lab.Server;

// GoNetTools.Lab: a GOPROXY server with fault injection. Started by Start-GoProxyLab; see ControlChannel for
// the stdin/stdout protocol and LabOptions for the command line.
LabOptions options;
try
{
    options = LabOptions.Parse(args);
}
catch (LabArgumentException e)
{
    ControlChannel.WriteError("InvalidArgument", e.Message);
    return 2;
}

IModuleCatalog catalog;
try
{
    catalog = options.ModuleRoot is not null
        ? new ModuleRootCatalog(options.ModuleRoot)
        : new SyntheticCatalog(options.EffectiveSyntheticModules, options.SyntheticVersions, options.SyntheticSize);
}
catch (CatalogException e)
{
    ControlChannel.WriteError(e.Code, e.Message);
    return 3;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    ControlChannel.WriteError("ModuleRootUnreadable", $"module root '{options.ModuleRoot}' cannot be read: {e.Message}");
    return 3;
}

var ownDirectory = options.CertificateDirectory is null;
var certificateDirectory = options.CertificateDirectory ?? Path.Combine(Path.GetTempPath(), $"gonettools-lab-{Environment.ProcessId}");
using var certificates = options.Cleartext ? null : LabCertificates.Create(certificateDirectory, options.Address);
var counters = new LabCounters();
await using var app = LabServer.Build(options, catalog, counters, certificates);
try
{
    await LabServer.StartAsync(app);
}
catch (Exception e) when (LabServer.IsAddressInUse(e))
{
    ControlChannel.WriteError("PortInUse", $"{options.Address}:{options.Port} is already in use: {e.Message}");
    return 4;
}
catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
{
    ControlChannel.WriteError("ListenFailed", $"cannot listen on {options.Address}:{options.Port}: {e.Message}");
    return 4;
}

using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};
ControlChannel.WriteReady(LabServer.BaseUrl(app, options), certificates?.CaPath, options, catalog.Modules);
await ControlChannel.RunAsync(Console.In, counters, stopping.Token);

using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
{
    try
    {
        await app.StopAsync(grace.Token);
    }
    catch (OperationCanceledException)
    {
        // Connections still open after the grace period are dropped.
    }
}
if (ownDirectory && Directory.Exists(certificateDirectory))
{
    Directory.Delete(certificateDirectory, recursive: true);
}
return 0;
