using System;

namespace GoNetTools;

/// <summary>
/// What a back-end throws when it knows exactly what went wrong: a stable error id, the category a cmdlet
/// should report, and what the user can do about it. Back-ends never see PowerShell types, so the category
/// is our own enum, mapped to ErrorCategory in one place (ErrorFactory).
/// </summary>
public sealed class GoNetToolsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GoNetToolsException(string errorId, FailureKind kind, string message, string? recommendedAction = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        RecommendedAction = recommendedAction;
    }

    /// <summary>The stable id from <see cref="ErrorIds"/>.</summary>
    public string ErrorId { get; }

    /// <summary>What kind of failure this is.</summary>
    public FailureKind Kind { get; }

    /// <summary>What the user can do.</summary>
    public string? RecommendedAction { get; }
}

/// <summary>Failure kinds back-ends report; each maps to one PowerShell ErrorCategory.</summary>
public enum FailureKind
{
    /// <summary>Input that cannot be used.</summary>
    InvalidArgument,
    /// <summary>Malformed data from the OS, a file or the network.</summary>
    InvalidData,
    /// <summary>Needs root, a capability or Administrator.</summary>
    PermissionDenied,
    /// <summary>A library, service or package is missing.</summary>
    ResourceUnavailable,
    /// <summary>Something named does not exist.</summary>
    ObjectNotFound,
    /// <summary>This OS is not supported for the feature.</summary>
    NotImplemented,
    /// <summary>An OS call failed for another reason.</summary>
    OperationFailed,
    /// <summary>The network peer did not answer in time or refused.</summary>
    ConnectionError,
    /// <summary>Something took longer than allowed.</summary>
    OperationTimeout,
    /// <summary>A file that would be replaced exists and -Force was not given.</summary>
    ResourceExists,
}
