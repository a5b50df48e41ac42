using KinerjaWorkflow.Server.Identity;
using KinerjaWorkflow.Server.Offices;

namespace KinerjaWorkflow.Server.Tests.Notifications;

public sealed class OrganizationWebhookTests
{
    private const string Office = """
        name: Kantor Uji
        timeZone: Asia/Makassar
        officeHours: { monday: "07:30-16:00", tuesday: "07:30-16:00", wednesday: "07:30-16:00", thursday: "07:30-16:00", friday: "07:30-16:30", saturday: tutup, sunday: tutup }
        breaks: { monday: tidak ada, tuesday: tidak ada, wednesday: tidak ada, thursday: tidak ada, friday: tidak ada }
        reminderAt: 0.75
        escalationInterval: 1 Hari Kerja
        roles:
          - name: Kepala
            head: true
        users:
          - username: kepala
            name: Kepala
            roles: [Kepala]
        """;

    [Fact]
    public void Webhooks_are_read_with_their_secret_and_the_kinds_they_want()
    {
        var organization = OrganizationLoader.Parse("kantor-uji", Office + """

            webhooks:
              - url: https://monitoring.example.go.id/kinerja
                secret: rahasia-1
                events: [reminder, escalation]
              - url: http://10.0.0.5:8080/hook
                secret: rahasia-2
            """);

        organization.Webhooks.Should().HaveCount(2);
        var first = organization.Webhooks[0];
        first.Url.Should().Be(new Uri("https://monitoring.example.go.id/kinerja"));
        first.Secret.Should().Be("rahasia-1");
        first.Wants("escalation").Should().BeTrue();
        first.Wants("message").Should().BeFalse();
        organization.Webhooks[1].Wants("message").Should().BeTrue("no events listed means every kind");
    }

    [Fact]
    public void An_office_without_webhooks_has_none()
    {
        OrganizationLoader.Parse("kantor-uji", Office).Webhooks.Should().BeEmpty();
    }

    [Theory]
    [InlineData("url: /relatif\n    secret: s", "webhooks[0].url '/relatif' is not an absolute http or https URL.")]
    [InlineData("url: ftp://files.example/hook\n    secret: s", "webhooks[0].url 'ftp://files.example/hook' is not an absolute http or https URL.")]
    [InlineData("secret: s", "webhooks[0].url '' is not an absolute http or https URL.")]
    [InlineData("url: https://a.example/hook", "webhook 'https://a.example/hook' has no secret; receivers check the X-Kinerja-Signature made with it.")]
    [InlineData("url: https://a.example/hook\n    secret: s\n    events: [reminder, telat]", "webhook 'https://a.example/hook' has event 'telat'; known events are message, reminder, escalation, task.")]
    [InlineData("url: https://a.example/hook\n    secret: s\n    retries: 3", "line 17: unknown key 'retries'.")]
    public void A_bad_webhook_is_refused_with_what_is_wrong(string entry, string problem)
    {
        var act = () => OrganizationLoader.Parse("kantor-uji", Office + "\nwebhooks:\n  - " + entry + "\n");

        act.Should().Throw<OrganizationFileException>().Which.Problems.Should().Equal($"kantor-uji/organization.yaml: {problem}");
    }

    [Fact]
    public void The_same_webhook_twice_is_refused()
    {
        var act = () => OrganizationLoader.Parse("kantor-uji", Office + """

            webhooks:
              - url: https://a.example/hook
                secret: s
              - url: https://a.example/hook
                secret: t
            """);

        act.Should().Throw<OrganizationFileException>().Which.Problems
            .Should().Equal("kantor-uji/organization.yaml: webhook 'https://a.example/hook' is listed twice.");
    }
}
