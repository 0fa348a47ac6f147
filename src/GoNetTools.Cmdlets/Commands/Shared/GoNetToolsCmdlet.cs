using System;
using System.Management.Automation;
using System.Threading;
using GoNetTools.Platform;
using GoNetTools.Tcp;

namespace GoNetTools.Commands;

/// <summary>
/// Base for every GoNetTools cmdlet: owns the cancellation that Ctrl+C (StopProcessing) triggers, and builds
/// ErrorRecords with a stable id, an honest category, the input as target and a message that says what to do.
/// </summary>
public abstract class GoNetToolsCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private bool _disposed;

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken CancelToken => _stopping.Token;

    /// <inheritdoc />
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Starts the one cancellable wait with progress (dispose it: that completes the bar).</summary>
    private protected ProgressWait StartProgress(string activity, string status) => new(this, CancelToken, activity, status);

    /// <summary>
    /// Where Linux back-ends find proc/ and sys/: "/" normally. A test hook, not a user feature: $GoNetToolsSystemRoot
    /// (global) or GONETTOOLS_SYSROOT names a fixture tree (see <see cref="TestHook"/>).
    /// </summary>
    private protected string SystemRoot => TestHook.SystemRoot.Read(SessionState) ?? "/";

    /// <summary>Writes a non-terminating error for one bad item.</summary>
    protected void WriteError(string errorId, ErrorCategory category, object? target, string message, string? recommendedAction = null, Exception? inner = null) =>
        WriteError(ErrorFactory.Create(errorId, category, target, message, recommendedAction, inner));

    /// <summary>Stops the command: nothing else in this call can succeed.</summary>
    protected void ThrowTerminating(string errorId, ErrorCategory category, object? target, string message, string? recommendedAction = null, Exception? inner = null) =>
        ThrowTerminatingError(ErrorFactory.Create(errorId, category, target, message, recommendedAction, inner));

    /// <summary>Maps the exceptions back-ends throw on purpose to terminating ErrorRecords.</summary>
    protected void ThrowTerminating(GoNetToolsException exception, object? target) =>
        ThrowTerminatingError(ErrorFactory.Create(exception, target));

    /// <summary>
    /// Runs a cmdlet's work so that no raw exception reaches the user: a stopped pipeline stays stopped,
    /// GoNetToolsException keeps its id and category, and I/O or OS failures become <paramref name="errorId"/>
    /// (ReadError) with <paramref name="what"/> in the message.
    /// </summary>
    private protected void Guarded(Action body, object? target, string errorId, string what, string recommendedAction)
    {
        try
        {
            body();
        }
        catch (PipelineStoppedException)
        {
            throw;
        }
        catch (GoNetToolsException e)
        {
            ThrowTerminating(e, target);
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException or InvalidOperationException
            or System.ComponentModel.Win32Exception)
        {
            ThrowTerminating(errorId, ErrorCategory.ReadError, target, $"{what} failed: {e.Message}", recommendedAction, e);
        }
    }

    /// <summary>
    /// Parses address/port/family/owner filters; a bad address (neither IP nor CIDR prefix) stops the command
    /// with InvalidAddressFilter naming it. Shared by every cmdlet that filters the socket table.
    /// </summary>
    private protected Tcp.TcpConnectionFilter CreateFilter(string[]? localAddress, string[]? remoteAddress, int[]? localPort,
        int[]? remotePort, int[]? owningProcess, IPFamily family)
    {
        var filter = Tcp.TcpConnectionFilter.TryCreate(localAddress, remoteAddress, localPort, remotePort, owningProcess, family, out var bad);
        if (filter is null)
        {
            ThrowTerminating(ErrorIds.InvalidAddressFilter, ErrorCategory.InvalidArgument, bad,
                $"'{bad}' is neither an IP address nor a CIDR prefix.", "Use an address such as 10.1.2.3 or ::1, or a prefix such as 10.0.0.0/8 or fd00::/8.");
        }
        return filter!;
    }

    /// <summary>Releases the cancellation source.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources held by the cmdlet.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!_disposed && disposing)
        {
            _stopping.Dispose();
        }
        _disposed = true;
    }
}
