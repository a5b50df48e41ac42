namespace KinerjaWorkflow.Server.Outbound;

/// <summary>An outgoing call the operator's configuration does not allow, or an answer beyond its limits.</summary>
public sealed class OutboundRefusedException(string message) : HttpRequestException(message);
