using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace GoNetTools.Capture;

/// <summary>
/// The files of one session. Without a size limit: exactly the path given. With -MaxFileSizeMB: a new file each
/// time the current one would pass the limit, named like dumpcap -b does (base_00001_20261123193500.pcap), and
/// with -FileCount only the newest that many are kept (the oldest is deleted when a new one is opened).
/// </summary>
internal sealed class CaptureFileRing : IDisposable
{
    private readonly string _basePath;
    private readonly long _maxFileBytes;
    private readonly int _fileCount;
    private readonly int _snapLength;
    private readonly int _linkType;
    private readonly bool _overwrite;
    private readonly LinkedList<string> _files = new();
    private int _sequence;
    private PcapFileWriter? _current;
    private volatile string? _lastPath;
    private long _closedRecords;
    private long _closedWireBytes;

    public CaptureFileRing(string basePath, long maxFileBytes, int fileCount, int snapLength, int linkType, bool overwrite)
    {
        _basePath = basePath;
        _maxFileBytes = maxFileBytes;
        _fileCount = fileCount;
        _snapLength = snapLength;
        _linkType = linkType;
        _overwrite = overwrite;
    }

    /// <summary>True when files rotate (-MaxFileSizeMB given).</summary>
    public bool Rotates => _maxFileBytes > 0;

    /// <summary>The file being written.</summary>
    public string CurrentPath => _lastPath ?? _basePath;

    /// <summary>Files kept, oldest first. Read from the pipeline thread, so a copy under the lock.</summary>
    public string[] Files
    {
        get
        {
            lock (_files)
            {
                var result = new string[_files.Count];
                _files.CopyTo(result, 0);
                return result;
            }
        }
    }

    /// <summary>The path the first file gets: what must not exist unless -Force.</summary>
    public static string FirstPath(string basePath, bool rotates, DateTime now) => rotates ? RingName(basePath, 1, now) : basePath;

    /// <summary>Opens the first file; throws IOException/UnauthorizedAccessException from the file system.</summary>
    public void Open(DateTime now) => OpenNext(now);

    /// <summary>Writes a record, rotating first when it would push the file past the size limit.</summary>
    public void Write(long seconds, long microseconds, ReadOnlySpan<byte> data, uint originalLength)
    {
        var current = _current ?? throw new InvalidOperationException("The capture file is not open.");
        if (Rotates && current.Records > 0 && current.Length + PcapFileWriter.RecordHeaderLength + data.Length > _maxFileBytes)
        {
            Close(current);
            OpenNext(DateTime.Now);
            current = _current!;
        }
        current.WriteRecord(seconds, microseconds, data, originalLength);
    }

    /// <summary>Records (and their wire bytes) the OS accepted across every file this session wrote.</summary>
    public (long Records, long WireBytes) Committed =>
        (_closedRecords + (_current?.CommittedRecords ?? 0), _closedWireBytes + (_current?.CommittedWireBytes ?? 0));

    /// <summary>Hands buffered records to the OS.</summary>
    public void Flush() => _current?.Flush();

    private void OpenNext(DateTime now)
    {
        _sequence++;
        var path = Rotates ? RingName(_basePath, _sequence, now) : _basePath;
        _current = PcapFileWriter.Create(path, _snapLength, _linkType, _overwrite);
        _lastPath = _current.Path;
        lock (_files)
        {
            _files.AddLast(_current.Path);
            while (_fileCount > 0 && _files.Count > _fileCount)
            {
                var oldest = _files.First!.Value;
                _files.RemoveFirst();
                File.Delete(oldest);
            }
        }
    }

    /// <summary>base.pcap → base_00001_YYYYMMDDHHMMSS.pcap (local time, as dumpcap).</summary>
    private static string RingName(string basePath, int sequence, DateTime now)
    {
        var directory = Path.GetDirectoryName(basePath) ?? "";
        var extension = Path.GetExtension(basePath);
        if (extension.Length == 0)
        {
            extension = ".pcap";
        }
        var stem = Path.GetFileNameWithoutExtension(basePath);
        var name = string.Create(CultureInfo.InvariantCulture, $"{stem}_{sequence:D5}_{now:yyyyMMddHHmmss}{extension}");
        return Path.Combine(directory, name);
    }

    public void Dispose()
    {
        if (_current is { } current)
        {
            Close(current);
        }
    }

    private void Close(PcapFileWriter writer)
    {
        _current = null;
        try
        {
            writer.Dispose();
        }
        finally
        {
            _closedRecords += writer.CommittedRecords;
            _closedWireBytes += writer.CommittedWireBytes;
        }
    }
}
