using KinerjaWorkflow.Server.Notifications;
using KinerjaWorkflow.Server.Offices;
using KinerjaWorkflow.Server.Scheduling;
using KinerjaWorkflow.Server.Tests.Infrastructure;

namespace KinerjaWorkflow.Server.Tests.Notifications;

public sealed class EmailDeliveryTests : IDisposable
{
    private readonly SmtpTestServer _smtp = new();
    private readonly ServerData _data = new();
    private readonly KinerjaServer _server;

    public EmailDeliveryTests()
    {
        TestOffice.Configure(_data, emails: true);
        _server = new KinerjaServer(_data, new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:UseTls"] = "false",
            ["Smtp:From"] = "kinerja@uji.example",
        });
    }

    public void Dispose()
    {
        _server.Dispose();
        _smtp.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Each_notified_user_with_an_address_gets_the_email_with_its_subject_and_text()
    {
        await _server.SendAsync(new NotificationMessage(
            TestOffice.OfficeId,
            ["staf.uji"],
            NotificationKinds.Reminder,
            "Pengingat: langkah 1 \"Menyusun laporan\" — Laporan Sederhana (2025-TW4)",
            "Langkah 1 \"Menyusun laporan\" harus selesai paling lambat Senin, 6 Januari 2025 pukul 16.00 WITA.",
            null,
            null,
            "reminder:email"));

        var email = await _smtp.WaitForEmailAsync();

        email.From.Should().Be("kinerja@uji.example");
        email.Recipients.Should().Equal("staf.uji@uji.example");
        email.Subject.Should().Be("Pengingat: langkah 1 \"Menyusun laporan\" — Laporan Sederhana (2025-TW4)");
        email.Body.Should().StartWith("Langkah 1 \"Menyusun laporan\" harus selesai paling lambat Senin, 6 Januari 2025 pukul 16.00 WITA.");
        email.Body.Should().Contain("Kantor Uji Coba Kinerja");
        var kepala = await _server.SignInAsync("kepala.uji");
        var delivery = await kepala.WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "delivered");
        delivery.GetProperty("target").GetString().Should().Be("staf.uji@uji.example");
        email.Headers["X-Kinerja-Delivery"].Should().Be(delivery.Id().ToString());
    }

    [Fact]
    public async Task A_refusing_server_gives_a_recorded_failure_then_a_retry_then_a_dead_letter()
    {
        _smtp.RefuseRecipients = true;
        var kepala = await _server.SignInAsync("kepala.uji");

        await _server.SendAsync(TestOffice.Message("reminder:ditolak", NotificationKinds.Reminder, "staf.uji2"));

        var failed = await kepala.WaitForDeliveryAsync(d => d.GetProperty("attempts").GetInt32() >= 1 && d.GetProperty("lastError").GetString() is not null);
        failed.GetProperty("lastError").GetString().Should().Contain("550").And.Contain("Penerima ditolak");

        var dead = await kepala.WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "dead");

        dead.GetProperty("attempts").GetInt32().Should().Be(2, "the first run and Hangfire's one retry");
        dead.GetProperty("lastError").GetString().Should().Contain("550");
        _smtp.Refusals.Should().Be(2);
        _smtp.Received.Should().BeEmpty();
        (await (await _server.SignInAsync("staf.uji2")).GetAsync("/api/notifications/count").OkJsonAsync())
            .GetProperty("unread").GetInt32().Should().Be(1, "the in-app notification does not depend on the email");
    }

    [Fact]
    public async Task A_dead_letter_retried_by_an_admin_is_delivered()
    {
        _smtp.RefuseRecipients = true;
        var kepala = await _server.SignInAsync("kepala.uji");
        await _server.SendAsync(TestOffice.Message("reminder:ulang", NotificationKinds.Reminder, "staf.uji"));
        var dead = await kepala.WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "dead");

        _smtp.RefuseRecipients = false;
        await kepala.PostAsync($"/api/notifications/deliveries/{dead.Id()}/retry", null).OkJsonAsync();

        (await _smtp.WaitForEmailAsync()).Recipients.Should().Equal("staf.uji@uji.example");
        await kepala.WaitForDeliveryAsync(d => d.GetProperty("status").GetString() == "delivered");
    }
}
