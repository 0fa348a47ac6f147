using System;
using System.Management.Automation;
using GoNetTools.Foundation;

namespace GoNetTools.Commands;

/// <summary>Builds ErrorRecords; the one place where back-end failure kinds become PowerShell categories.</summary>
internal static class ErrorFactory
{
    public static ErrorRecord Create(string errorId, ErrorCategory category, object? target, string message, string? recommendedAction = null, Exception? inner = null)
    {
        var exception = inner is null ? new InvalidOperationException(message) : new InvalidOperationException(message, inner);
        var record = new ErrorRecord(exception, errorId, category, target)
        {
            ErrorDetails = new ErrorDetails(message),
        };
        if (recommendedAction is not null)
        {
            record.ErrorDetails.RecommendedAction = recommendedAction;
        }
        return record;
    }

    public static ErrorRecord Create(GoNetToolsException exception, object? target)
    {
        var record = new ErrorRecord(exception, exception.ErrorId, Category(exception.Kind), target)
        {
            ErrorDetails = new ErrorDetails(exception.Message),
        };
        if (exception.RecommendedAction is not null)
        {
            record.ErrorDetails.RecommendedAction = exception.RecommendedAction;
        }
        return record;
    }

    public static ErrorCategory Category(FailureKind kind) => kind switch
    {
        FailureKind.InvalidArgument => ErrorCategory.InvalidArgument,
        FailureKind.InvalidData => ErrorCategory.InvalidData,
        FailureKind.PermissionDenied => ErrorCategory.PermissionDenied,
        FailureKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        FailureKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        FailureKind.NotImplemented => ErrorCategory.NotImplemented,
        FailureKind.ConnectionError => ErrorCategory.ConnectionError,
        FailureKind.OperationTimeout => ErrorCategory.OperationTimeout,
        FailureKind.ResourceExists => ErrorCategory.ResourceExists,
        _ => ErrorCategory.NotSpecified,
    };
}
