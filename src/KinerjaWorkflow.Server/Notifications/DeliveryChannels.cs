using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KinerjaWorkflow.Server.Offices;
using Microsoft.Extensions.Options;

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
/// Email through System.Net.Mail.SmtpClient: it speaks ESMTP with STARTTLS (EnableSsl) and AUTH, dot-stuffs
/// and MIME-encodes the UTF-8 text, and reports the server's refusals with their status codes, which is all
/// a plain-text notification needs; MailKit is not restorable here, and an SMTP client of our own would be
/// more code to get right for no gain.
/// </summary>
internal sealed class EmailChannel(IOptions<SmtpOptions> options) : IDeliveryChannel
{
    public string Name => DeliveryChannels.Email;

    public TimeSpan Timeout => options.Value.Timeout;

    public async Task SendAsync(NotificationDeliveryRecord delivery, CancellationToken ct)
    {
        var smtp = options.Value;
        if (!smtp.Enabled)
        {
            throw new InvalidOperationException("Email is off (Smtp:Host is not set) but an email delivery is queued.");
        }

        var email = JsonSerializer.Deserialize<EmailPayload>(delivery.PayloadJson, NotificationSender.PayloadJson)
            ?? throw new InvalidOperationException($"Delivery {delivery.Id} has no email payload.");
        using var message = new MailMessage(new MailAddress(smtp.From!), new MailAddress(email.To, email.ToName))
        {
            Subject = email.Subject,
            SubjectEncoding = Encoding.UTF8,
            Body = email.Body,
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = TransferEncoding.Base64,
            IsBodyHtml = false,
        };
        message.Headers.Add("Message-ID", $"<{delivery.Id:N}@kinerjaworkflow>");
        message.Headers.Add("X-Kinerja-Delivery", delivery.Id.ToString());
        using var client = new SmtpClient(smtp.Host, smtp.Port)
        {
            EnableSsl = smtp.UseTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            UseDefaultCredentials = false,
            Credentials = string.IsNullOrEmpty(smtp.UserName) ? null : new NetworkCredential(smtp.UserName, smtp.Password),
        };
        await client.SendMailAsync(message, ct);
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
