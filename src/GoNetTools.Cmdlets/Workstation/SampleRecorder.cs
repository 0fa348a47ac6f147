using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using GoNetTools.Platform;

namespace GoNetTools.Workstation;

/// <summary>
/// Takes a <see cref="MachineSample"/> every interval on a background thread while a run goes on, labelled with the
/// phase the run is in. The one sampler loop of Measure-GoBuild and Test-NetworkUnderLoad. A failing read stops
/// nothing: the sample is skipped (sysfs files come and go with CPU hotplug).
/// </summary>
internal sealed class SampleRecorder : IDisposable
{
    private readonly IMachineSampler _sampler;
    private readonly TimeSpan _interval;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<MachineSample> _samples = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private string _phase;

    public SampleRecorder(IMachineSampler sampler, TimeSpan interval, string phase)
    {
        _sampler = sampler;
        _interval = interval;
        _phase = phase;
        _thread = new Thread(Loop) { IsBackground = true, Name = "GoNetTools sampler" };
        _thread.Start();
    }

    /// <summary>Time since the recorder started (the samples' Offset clock).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The label the next samples get; taking a sample at the switch marks where the phase begins.</summary>
    public string Phase
    {
        get => Volatile.Read(ref _phase);
        set
        {
            Volatile.Write(ref _phase, value);
            TakeNow();
        }
    }

    /// <summary>Takes one sample now (on the caller's thread) and returns it.</summary>
    public MachineSample? TakeNow()
    {
        try
        {
            var sample = _sampler.Sample(_clock.Elapsed, Phase);
            lock (_samples)
            {
                _samples.Add(sample);
            }
            return sample;
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>A copy of the samples so far, in time order.</summary>
    public MachineSample[] Samples()
    {
        lock (_samples)
        {
            var copy = _samples.ToArray();
            Array.Sort(copy, (a, b) => a.Offset.CompareTo(b.Offset));
            return copy;
        }
    }

    /// <summary>Stops sampling after one last sample.</summary>
    public void Stop()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
            _thread.Join();
            TakeNow();
        }
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Loop()
    {
        while (!_stop.Token.WaitHandle.WaitOne(_interval))
        {
            TakeNow();
        }
    }
}
