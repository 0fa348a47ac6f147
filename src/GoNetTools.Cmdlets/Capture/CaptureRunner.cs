using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using SharpPcap.LibPcap;
using GoNetTools.Foundation;

namespace GoNetTools.Capture;

/// <summary>
/// One running capture: owns the libpcap handle and the files, and a dedicated thread that reads packets, writes
/// them, flushes at least every second, reads pcap_stats and stops on -Duration/-PacketCount/Stop. Only that
/// thread touches the handle (libpcap handles are not thread-safe); other threads read counters it publishes.
/// </summary>
internal sealed class CaptureRunner
{
    private const int HousekeepingMs = 500;
    private const int DrainMs = 2 * PcapDeviceOpener.ReadTimeoutMs + 100;
    private readonly CaptureOptions _options;
    private readonly LibPcapLiveDevice _device;
    private readonly CaptureFileRing _files;
    private readonly PcapNative _native;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _finished = new(false);
    private volatile bool _stopRequested;
    private long _packets, _bytes, _dropped, _ifDropped;
    private volatile string? _error;
    private volatile CaptureState _state = CaptureState.Running;
    private DateTime? _endTime;

    private CaptureRunner(int id, CaptureOptions options, LibPcapLiveDevice device, CaptureFileRing files)
    {
        Id = id;
        _options = options;
        _device = device;
        _files = files;
        _native = PcapNative.For(options.Library, device.Handle);
        if (_native.WaitsItself)
        {
            device.NonBlockingMode = true;
        }
        StartTime = DateTime.Now;
        _thread = new Thread(Run) { IsBackground = true, Name = $"GoNetTools capture {id}" };
    }

    public int Id { get; }
    public DateTime StartTime { get; }

    /// <summary>Set when the capture thread has closed the device and the files.</summary>
    public WaitHandle Finished => _finished.WaitHandle;

    public bool IsRunning => _state == CaptureState.Running;

    /// <summary>
    /// Opens the device (filter applied) and the first file on the calling thread, so every setup error reaches
    /// the user as an ErrorRecord, then starts the capture thread.
    /// </summary>
    public static CaptureRunner Start(int id, CaptureOptions options)
    {
        var device = PcapDeviceOpener.Open(options.Device, options.SnapLength, options.Promiscuous, options.Filter, options.BufferBytes);
        CaptureFileRing? files = null;
        try
        {
            files = new CaptureFileRing(options.Path, options.MaxFileBytes, options.FileCount, options.SnapLength, (int)device.LinkType, options.Overwrite);
            files.Open(DateTime.Now);
            var runner = new CaptureRunner(id, options, device, files);
            runner._thread.Start();
            return runner;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            files?.Dispose();
            device.Dispose();
            // A read-only folder or file system is a permission problem, not an unknown one: say so.
            var denied = e is UnauthorizedAccessException || e.HResult == 30 /* EROFS */ || e.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase);
            throw new GoNetToolsException(ErrorIds.CaptureFileError, denied ? FailureKind.PermissionDenied : FailureKind.OperationFailed,
                $"Cannot create the capture file '{options.Path}': {e.Message}",
                denied ? "The folder is read-only for this user: choose a -Path you may write, or run as its owner." : "Choose a writable -Path.", e);
        }
        catch
        {
            files?.Dispose();
            device.Dispose();
            throw;
        }
    }

    /// <summary>Asks the thread to stop without waiting (StopAll stops every session at once).</summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>Asks the thread to stop and waits for it to close the files (at most timeout).</summary>
    public bool Stop(TimeSpan timeout)
    {
        _stopRequested = true;
        return _finished.Wait(timeout);
    }

    /// <summary>The session as of now.</summary>
    public CaptureSession Snapshot() => new()
    {
        Id = Id,
        Adapter = _options.Adapter,
        Device = _options.Device,
        Filter = string.IsNullOrWhiteSpace(_options.Filter) ? null : _options.Filter,
        Path = _files.CurrentPath,
        Files = _files.Files,
        State = _state,
        StartTime = StartTime,
        EndTime = _endTime,
        Packets = Interlocked.Read(ref _packets),
        Bytes = Interlocked.Read(ref _bytes),
        Dropped = Interlocked.Read(ref _dropped),
        InterfaceDropped = Interlocked.Read(ref _ifDropped),
        SnapLength = _options.SnapLength,
        Error = _error,
    };

    private void Run()
    {
        var failure = (string?)null;
        try
        {
            Loop();
        }
        catch (IOException e)
        {
            failure = $"Writing the capture file failed: {e.Message}";
        }
        catch (UnauthorizedAccessException e)
        {
            failure = $"Writing the capture file failed: {e.Message}";
        }
        catch (GoNetToolsException e)
        {
            failure = e.Message;
        }
#pragma warning disable CA1031 // The capture thread's last line of defence: an escape here would end the whole process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = $"Capture stopped by an unexpected error: {e.GetType().Name}: {e.Message}";
        }
        Finish(failure);
    }

    private void Loop()
    {
        var started = Environment.TickCount64;
        var deadline = _options.Duration is { } d ? started + (long)d.TotalMilliseconds : long.MaxValue;
        var limit = _options.PacketCount ?? long.MaxValue;
        var nextHousekeeping = started + HousekeepingMs;
        var drainUntil = long.MaxValue;
        IntPtr header = IntPtr.Zero, data = IntPtr.Zero;
        while (Environment.TickCount64 < drainUntil)
        {
            if (drainUntil == long.MaxValue && _stopRequested)
            {
                // Packets sent before Stop may still sit in a kernel block that is not handed over until its
                // timeout: keep reading for a little longer than that timeout so they reach the file.
                drainUntil = Environment.TickCount64 + DrainMs;
            }
            var rc = _device.GetNextPacketPointers(ref header, ref data);
            if (rc == 1)
            {
                WritePacket(header, data);
                if (Interlocked.Read(ref _packets) >= limit)
                {
                    break;
                }
            }
            else if (rc == 0)
            {
                _native.Wait(PcapDeviceOpener.ReadTimeoutMs);
            }
            else if (rc == -2)
            {
                break;
            }
            else
            {
                throw new GoNetToolsException(ErrorIds.CaptureDeviceError, FailureKind.OperationFailed,
                    $"Reading from '{_options.Device}' failed: {_device.LastError}");
            }
            var now = Environment.TickCount64;
            if (now >= nextHousekeeping)
            {
                _files.Flush();
                ReadStatistics();
                nextHousekeeping = now + HousekeepingMs;
            }
            if (now >= deadline && drainUntil == long.MaxValue)
            {
                drainUntil = now + DrainMs;
            }
        }
    }

    /// <summary>
    /// struct pcap_pkthdr: a struct timeval, then caplen and len (uint32). On Unix the timeval is two longs
    /// (pointer size; macOS' int tv_usec is padded to the same 16 bytes on 64-bit); Npcap uses two 32-bit longs.
    /// </summary>
    private unsafe void WritePacket(IntPtr header, IntPtr data)
    {
        var p = (byte*)header;
        long seconds, micros;
        int lengths;
        if (OperatingSystem.IsWindows())
        {
            seconds = *(int*)p;
            micros = *(int*)(p + 4);
            lengths = 8;
        }
        else
        {
            seconds = IntPtr.Size == 8 ? *(long*)p : *(int*)p;
            micros = *(int*)(p + IntPtr.Size);
            lengths = 2 * IntPtr.Size;
        }
        var captured = *(uint*)(p + lengths);
        var original = *(uint*)(p + lengths + 4);
        _files.Write(seconds, micros, new ReadOnlySpan<byte>((void*)data, (int)captured), original);
        Interlocked.Increment(ref _packets);
        Interlocked.Add(ref _bytes, original);
    }

    private void ReadStatistics()
    {
        // Our own pcap_stats call: SharpPcap's Statistics mis-reads struct pcap_stat on 64-bit Unix (see PcapNative).
        if (_native.Statistics(_device.Handle) is { } stats)
        {
            Interlocked.Exchange(ref _dropped, stats.Dropped);
            Interlocked.Exchange(ref _ifDropped, stats.InterfaceDropped);
        }
    }

    private void Finish(string? failure)
    {
        ReadStatistics();
        try
        {
            _files.Dispose();
        }
        catch (IOException e)
        {
            failure ??= $"Closing the capture file failed: {e.Message}";
        }
        try
        {
            _device.Dispose();
        }
        catch (Exception e) when (e is SharpPcap.PcapException or ObjectDisposedException or SEHException)
        {
            failure ??= $"Closing the capture device failed: {e.Message}";
        }
        if (failure is not null)
        {
            // Count only what reached the files: records lost with a failed write are not "captured".
            var (records, wireBytes) = _files.Committed;
            Interlocked.Exchange(ref _packets, records);
            Interlocked.Exchange(ref _bytes, wireBytes);
        }
        _endTime = DateTime.Now;
        _error = failure;
        _state = failure is null ? CaptureState.Stopped : CaptureState.Failed;
        _finished.Set();
    }
}
