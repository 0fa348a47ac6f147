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

// The CA goes into a directory of ours alone: the one the module made (--certificate-dir, mode 0700, removed by the
// module when the lab exits, and by the lab itself with --owns-certificate-dir when the module's process is gone
// first), else one made here with mkdtemp semantics (random name, 0700) and removed on every exit
// path below. Never a predictable name in a shared temp folder.
string? ownDirectory = options.CertificateDirectory is not null
    ? (options.OwnsCertificateDirectory ? options.CertificateDirectory : null)
    : options.Cleartext ? null : Directory.CreateTempSubdirectory("gonettools-lab-").FullName;
try
{
    return await RunAsync(options, catalog, options.CertificateDirectory ?? ownDirectory);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    ControlChannel.WriteError("ListenFailed", $"cannot write the lab CA: {e.Message}");
    return 4;
}
finally
{
    if (ownDirectory is not null && Directory.Exists(ownDirectory))
    {
        Directory.Delete(ownDirectory, recursive: true);
    }
}

static async Task<int> RunAsync(LabOptions options, IModuleCatalog catalog, string? certificateDirectory)
{
    using var certificates = options.Cleartext ? null : LabCertificates.Create(certificateDirectory!, options.Address);
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
    return 0;
}
