using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace KinerjaWorkflow.Server.Tests.Notifications;

/// <summary>
/// A real SMTP server on 127.0.0.1 speaking just enough of the protocol (EHLO/HELO, MAIL, RCPT, DATA, RSET,
/// NOOP, QUIT) to receive what the service sends. With <see cref="RefuseRecipients"/> it answers RCPT with 550.
/// </summary>
public sealed partial class SmtpTestServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SmtpTestServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    public bool RefuseRecipients { get; set; }

    public ConcurrentQueue<ReceivedEmail> Received { get; } = new();

    /// <summary>How many RCPT commands were refused with 550.</summary>
    public int Refusals => _refusals;

    private int _refusals;

    public async Task<ReceivedEmail> WaitForEmailAsync(int count = 1, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < until)
        {
            if (Received.Count >= count)
            {
                return Received.ElementAt(count - 1);
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The SMTP test server received {Received.Count} email(s), expected {count}.");
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The accept loop ends by its pending accept failing once the listener stops.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => ConverseAsync(client));
        }
    }

    private async Task ConverseAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 uji.local ESMTP siap");
        string? from = null;
        var recipients = new List<string>();
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                    case "HELO":
                        await writer.WriteLineAsync("250 uji.local");
                        break;
                    case "MAIL":
                        from = Address(line);
                        recipients.Clear();
                        await writer.WriteLineAsync("250 2.1.0 OK");
                        break;
                    case "RCPT" when RefuseRecipients:
                        Interlocked.Increment(ref _refusals);
                        await writer.WriteLineAsync("550 5.7.1 Penerima ditolak oleh server uji");
                        break;
                    case "RCPT":
                        recipients.Add(Address(line));
                        await writer.WriteLineAsync("250 2.1.5 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 Akhiri dengan <CRLF>.<CRLF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        Received.Enqueue(ReceivedEmail.Parse(from ?? "", recipients.ToList(), data.ToString()));
                        await writer.WriteLineAsync("250 2.0.0 Diterima");
                        break;
                    case "RSET":
                    case "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 Sampai jumpa");
                        return;
                    default:
                        await writer.WriteLineAsync("502 5.5.2 Perintah tidak dikenal");
                        break;
                }
            }
        }
        catch (IOException)
        {
            // The client hung up mid-conversation.
        }
    }

    private static string Address(string line) => AddressPattern().Match(line) is { Success: true } m ? m.Groups[1].Value : "";

    [GeneratedRegex("<([^>]*)>")]
    private static partial Regex AddressPattern();
}

/// <summary>An email as received, with its subject and body decoded (RFC 2047 words, base64 or quoted-printable body).</summary>
public sealed partial record ReceivedEmail(string From, IReadOnlyList<string> Recipients, IReadOnlyDictionary<string, string> Headers, string Subject, string Body)
{
    public static ReceivedEmail Parse(string from, IReadOnlyList<string> recipients, string data)
    {
        var split = data.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headerText = data[..split].Replace("\r\n ", " ", StringComparison.Ordinal).Replace("\r\n\t", " ", StringComparison.Ordinal);
        var headers = headerText.Split("\r\n")
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var rawBody = data[(split + 4)..];
        var encoding = headers.GetValueOrDefault("Content-Transfer-Encoding", "7bit").ToLowerInvariant();
        var body = encoding switch
        {
            "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(rawBody.Replace("\r\n", "", StringComparison.Ordinal))),
            "quoted-printable" => QuotedPrintable(rawBody),
            _ => rawBody,
        };
        return new ReceivedEmail(from, recipients, headers, DecodeWords(headers.GetValueOrDefault("Subject", "")), body.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    private static string DecodeWords(string value)
    {
        var joined = BetweenWords().Replace(value, "$1$2");
        return EncodedWord().Replace(joined, m =>
        {
            var charset = Encoding.GetEncoding(m.Groups["charset"].Value);
            var text = m.Groups["text"].Value;
            return string.Equals(m.Groups["encoding"].Value, "B", StringComparison.OrdinalIgnoreCase)
                ? charset.GetString(Convert.FromBase64String(text))
                : QuotedPrintable(text.Replace('_', ' '));
        });
    }

    private static string QuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        var unfolded = text.Replace("=\r\n", "", StringComparison.Ordinal);
        for (var i = 0; i < unfolded.Length; i++)
        {
            if (unfolded[i] == '=' && i + 2 < unfolded.Length)
            {
                bytes.Add(Convert.ToByte(unfolded.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(unfolded[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    [GeneratedRegex(@"(\?=)\s+(=\?)")]
    private static partial Regex BetweenWords();

    [GeneratedRegex(@"=\?(?<charset>[^?]+)\?(?<encoding>[BbQq])\?(?<text>[^?]*)\?=")]
    private static partial Regex EncodedWord();
}
