using KinerjaWorkflow.Server.Notifications;
using MailKit.Security;

namespace KinerjaWorkflow.Server.Tests.Notifications;

public sealed class EmailSecurityTests
{
    [Theory]
    [InlineData(465, true, SecureSocketOptions.SslOnConnect)]
    [InlineData(587, true, SecureSocketOptions.StartTls)]
    [InlineData(25, true, SecureSocketOptions.StartTls)]
    [InlineData(2525, true, SecureSocketOptions.StartTls)]
    [InlineData(587, false, SecureSocketOptions.None)]
    [InlineData(465, false, SecureSocketOptions.None)]
    public void The_port_and_UseTls_choose_how_the_connection_is_encrypted(int port, bool useTls, SecureSocketOptions expected) =>
        EmailChannel.Security(new SmtpOptions { Host = "smtp.example", Port = port, UseTls = useTls }).Should().Be(expected);
}
