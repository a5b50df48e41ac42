using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KinerjaWorkflow.Server.Offices;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Text;

namespace KinerjaWorkflow.Server.Notifications;

/// <summary>Sends one delivery once; throws when it did not go through. Retrying is the caller's business.</summary>
internal interface IDeliveryChannel
{
    string Name { get; }

    /// <summary>How long one try may take before it counts as failed.</summary>
    TimeSpan Timeout { get; }

    Task SendAsync(NotificationDeliveryRecord delivery, CancellationToken ct);
}

/// <summary>
/// Email through MailKit: implicit TLS on port 465 (SMTPS), STARTTLS on any other port, plain only when
/// Smtp:UseTls is false (a relay on the same host); AUTH when a user name is set. The body is UTF-8 plain text.
/// </summary>
internal sealed class EmailChannel(IOptions<SmtpOptions> options) : IDeliveryChannel
{
    /// <summary>The port where SMTP servers expect TLS from the first byte (RFC 8314).</summary>
    public const int ImplicitTlsPort = 465;

    public string Name => DeliveryChannels.Email;

    public TimeSpan Timeout => options.Value.Timeout;

    public static SecureSocketOptions Security(SmtpOptions smtp) => smtp switch
    {
        { UseTls: false } => SecureSocketOptions.None,
        { Port: ImplicitTlsPort } => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };

    public async Task SendAsync(NotificationDeliveryRecord delivery, CancellationToken ct)
    {
        var smtp = options.Value;
        if (smtp is not { Enabled: true, Host: { } host, From: { } from })
        {
            throw new InvalidOperationException("Email is off (Smtp:Host is not set) but an email delivery is queued.");
        }

        var email = JsonSerializer.Deserialize<EmailPayload>(delivery.PayloadJson, NotificationSender.PayloadJson)
            ?? throw new InvalidOperationException($"Delivery {delivery.Id} has no email payload.");
        var message = new MimeMessage
        {
            Subject = email.Subject,
            MessageId = $"{delivery.Id:N}@kinerjaworkflow",
            Body = new TextPart(TextFormat.Plain)
            {
                Text = email.Body,
                ContentTransferEncoding = ContentEncoding.Base64,
            },
        };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(new MailboxAddress(email.ToName, email.To));
        message.Headers.Add("X-Kinerja-Delivery", delivery.Id.ToString());

        using var client = new SmtpClient { Timeout = (int)smtp.Timeout.TotalMilliseconds };
        await client.ConnectAsync(host, smtp.Port, Security(smtp), ct);
        if (smtp is { UserName: { Length: > 0 } userName, Password: { } password })
        {
            await client.AuthenticateAsync(userName, password, ct);
        }

        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}

/// <summary>
/// POSTs the stored JSON body to the webhook, signed with the office's current secret for that URL:
/// <c>X-Kinerja-Signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>, and <c>X-Kinerja-Delivery</c>, the same
/// on every retry so a receiver can ignore a repeat. Anything but a 2xx answer is a failure.
/// </summary>
internal sealed class WebhookChannel(IHttpClientFactory clients, OfficeDirectory offices, IOptions<NotificationOptions> options) : IDeliveryChannel
{
    public const string ClientName = "notification-webhooks";
    public const string SignatureHeader = "X-Kinerja-Signature";
    public const string DeliveryHeader = "X-Kinerja-Delivery";

    public string Name => DeliveryChannels.Webhook;

    public TimeSpan Timeout => options.Value.WebhookTimeout;

    public async Task SendAsync(NotificationDeliveryRecord delivery, CancellationToken ct)
    {
        var office = await offices.GetAsync(delivery.OfficeId, ct);
        var webhook = office.Organization.Webhooks.FirstOrDefault(w => w.Url.ToString() == delivery.Target)
            ?? throw new InvalidOperationException(
                $"Webhook {delivery.Target} is no longer in the organization file of office {delivery.OfficeId}.");
        var body = Encoding.UTF8.GetBytes(delivery.PayloadJson);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(SignatureHeader, Signature(webhook.Secret, body));
        request.Headers.Add(DeliveryHeader, delivery.Id.ToString());

        using var client = clients.CreateClient(ClientName);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"Webhook {delivery.Target} answered {(int)response.StatusCode} {response.ReasonPhrase}.",
                null,
                response.StatusCode);
        }
    }

    public static string Signature(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
