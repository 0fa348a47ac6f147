using System;

namespace GoNetTools.GoModDownload;

/// <summary>Puts go's result, the -x log and the capture summary together into one measurement.</summary>
internal static class GoDownloadResult
{
    private const int TailLines = 10;

    public static GoModDownloadMeasurement Build(string proxy, string sumDb, string[] modules, GoDownloadProcess? process, GoGetLog log,
        CaptureSummary summary, string[] protocols, CaptureSession session, string? keptCapture, GoProxyLabStatistics? lab) => new()
    {
        Proxy = proxy.TrimEnd('/'),
        SumDb = sumDb,
        Modules = modules,
        ExitCode = process?.ExitCode ?? -1,
        Succeeded = process?.ExitCode == 0,
        ErrorTail = log.Tail(TailLines),
        TotalTime = process?.Elapsed ?? TimeSpan.Zero,
        Requests = log.Requests,
        RequestsOk = log.Ok,
        RequestsFailed = log.Failed,
        RequestsByHost = log.ByHost(),
        Connections = summary.Connections,
        RequestsPerConnection = summary.Connections > 0 ? Math.Round((double)log.Requests / summary.Connections, 2) : null,
        TlsHandshakes = summary.TlsHandshakes,
        TlsHandshakesBySni = summary.TlsHandshakesBySni,
        Protocols = protocols,
        LifetimeP50 = summary.LifetimeP50,
        LifetimeP95 = summary.LifetimeP95,
        LifetimeMax = summary.LifetimeMax,
        TimeWaitOnClient = summary.TimeWaitOnClient,
        TimeWaitOnServer = summary.TimeWaitOnServer,
        Resets = summary.Resets,
        GoAways = summary.GoAways,
        RstStreams = summary.RstStreams,
        Adapter = session.Adapter,
        Filter = session.Filter ?? "",
        Packets = summary.Packets,
        PacketsDropped = session.Dropped,
        CapturePath = keptCapture,
        LabStatistics = lab,
    };
}
