using System;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;

namespace GoNetTools.Commands;

/// <summary>
/// The one cancellable wait with progress: every cmdlet that waits (an -Interval, a sample window, a foreground
/// capture) waits through this, so Ctrl+C (StopProcessing cancels the token) ends every wait at once and the progress
/// bar is completed on every exit path — <see cref="Dispose"/> writes the Completed record when anything was shown.
/// Called on the pipeline thread only (WriteProgress from another thread is refused by PowerShell).
/// </summary>
internal sealed class ProgressWait : IDisposable
{
    private readonly Cmdlet _cmdlet;
    private readonly CancellationToken _cancel;
    private readonly ProgressRecord _record;
    private readonly Stopwatch _sinceShown = Stopwatch.StartNew();
    private bool _shown;

    public ProgressWait(Cmdlet cmdlet, CancellationToken cancel, string activity, string status)
    {
        _cmdlet = cmdlet;
        _cancel = cancel;
        _record = new ProgressRecord(1, activity, status);
    }

    /// <summary>Ctrl+C was pressed (or the pipeline stops).</summary>
    public bool Cancelled => _cancel.IsCancellationRequested;

    /// <summary>Rewrites the progress bar; a null argument leaves that field as it was.</summary>
    public void Show(string? status = null, int? percent = null, int? secondsRemaining = null, string? activity = null)
    {
        if (activity is not null)
        {
            _record.Activity = activity;
        }
        if (status is not null)
        {
            _record.StatusDescription = status;
        }
        if (percent is { } p)
        {
            _record.PercentComplete = Math.Clamp(p, 0, 100);
        }
        if (secondsRemaining is { } s)
        {
            _record.SecondsRemaining = s;
        }
        _cmdlet.WriteProgress(_record);
        _shown = true;
        _sinceShown.Restart();
    }

    /// <summary>True when <paramref name="every"/> has passed since the last <see cref="Show"/> (or the start): for progress inside a busy loop.</summary>
    public bool Due(TimeSpan every) => _sinceShown.Elapsed >= every;

    /// <summary>Waits <paramref name="wait"/> (nothing when not positive); false when Ctrl+C ended it.</summary>
    public bool Sleep(TimeSpan wait) => wait <= TimeSpan.Zero ? !Cancelled : !_cancel.WaitHandle.WaitOne(wait);

    /// <summary>
    /// One tick of a timed wait: shows how far <paramref name="clock"/> is through <paramref name="total"/> (percent and
    /// seconds left), then waits <paramref name="tick"/> or what is left if less; false when Ctrl+C ended it.
    /// </summary>
    public bool Tick(Stopwatch clock, TimeSpan total, TimeSpan tick)
    {
        var left = total - clock.Elapsed;
        Show(percent: (int)(100 * clock.Elapsed.TotalMilliseconds / Math.Max(1, total.TotalMilliseconds)),
            secondsRemaining: (int)Math.Ceiling(Math.Max(0, left.TotalSeconds)));
        return Sleep(left < tick ? left : tick);
    }

    /// <summary>Waits until <paramref name="clock"/> reads <paramref name="total"/>, a progress tick every <paramref name="tick"/>; false when Ctrl+C ended it.</summary>
    public bool Until(Stopwatch clock, TimeSpan total, TimeSpan tick)
    {
        while (clock.Elapsed < total)
        {
            if (!Tick(clock, total, tick))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Waits up to <paramref name="tick"/> for <paramref name="done"/>; true when it is set or Ctrl+C was pressed, false on the tick.</summary>
    public bool WaitFor(WaitHandle done, TimeSpan tick) =>
        WaitHandle.WaitAny(new[] { done, _cancel.WaitHandle }, tick) != WaitHandle.WaitTimeout;

    /// <summary>Completes the progress bar if one was shown. After Ctrl+C the pipeline is stopping and refuses writes; the host removes a stopped pipeline's bars itself.</summary>
    public void Dispose()
    {
        if (_shown && !Cancelled)
        {
            _record.RecordType = ProgressRecordType.Completed;
            _cmdlet.WriteProgress(_record);
        }
        _shown = false;
    }
}
