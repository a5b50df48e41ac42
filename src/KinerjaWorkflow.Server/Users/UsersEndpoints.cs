using KinerjaWorkflow.Server.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace KinerjaWorkflow.Server.Users;

public static class UsersEndpoints
{
    /// <summary>Users and role memberships of the admin's office: /api/users.</summary>
    public static IEndpointRouteBuilder MapUsersEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").WithTags("Pengguna").RequireAuthorization();

        group.MapGet("/", async Task<Ok<IReadOnlyList<UserView>>> (HttpContext http, UsersAdministration users, CancellationToken ct) =>
                TypedResults.Ok(await users.ListAsync(http.User.ToCurrentUser(), ct)))
            .WithName("ListUsers")
            .WithSummary("Daftar pengguna kantor saya dengan perannya (admin)")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/", async Task<Created<UserView>> (CreateUserRequest request, HttpContext http, UsersAdministration users, CancellationToken ct) =>
            {
                var user = await users.CreateAsync(http.User.ToCurrentUser(), request, ct);
                return TypedResults.Created($"/api/users/{user.Username}", user);
            })
            .WithName("CreateUser")
            .WithSummary("Tambah pengguna di kantor saya (admin)")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        group.MapGet("/audit", async Task<Ok<IReadOnlyList<UsersAuditView>>> (HttpContext http, UsersAdministration users, CancellationToken ct) =>
                TypedResults.Ok(await users.AuditAsync(http.User.ToCurrentUser(), ct)))
            .WithName("ListUserAudit")
            .WithSummary("Jejak audit perubahan pengguna dan peran di kantor saya, terbaru dulu (admin)")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/{username}", async Task<Ok<UserView>> (string username, HttpContext http, UsersAdministration users, CancellationToken ct) =>
                TypedResults.Ok(await users.GetAsync(http.User.ToCurrentUser(), username, ct)))
            .WithName("GetUser")
            .WithSummary("Satu pengguna kantor saya (admin)")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPut("/{username}/roles", async Task<Ok<UserView>> (string username, SetRolesRequest request, HttpContext http, UsersAdministration users, CancellationToken ct) =>
                TypedResults.Ok(await users.SetRolesAsync(http.User.ToCurrentUser(), username, request, ct)))
            .WithName("SetUserRoles")
            .WithSummary("Ganti peran (dan hak admin) pengguna (admin)")
            .WithUserProblems();

        group.MapPost("/{username}/password", async Task<Ok<UserView>> (string username, SetPasswordRequest request, HttpContext http, UsersAdministration users, CancellationToken ct) =>
                TypedResults.Ok(await users.SetPasswordAsync(http.User.ToCurrentUser(), http.User.FindSessionId(), username, request, ct)))
            .WithName("SetUserPassword")
            .WithSummary("Setel kata sandi baru pengguna dan buka kuncinya (admin)")
            .WithUserProblems();

        group.MapPost("/{username}/disable", async Task<Ok<UserView>> (string username, HttpContext http, UsersAdministration users, CancellationToken ct) =>
                TypedResults.Ok(await users.SetDisabledAsync(http.User.ToCurrentUser(), username, true, ct)))
            .WithName("DisableUser")
            .WithSummary("Nonaktifkan pengguna: tidak dapat masuk, token dan cookie-nya berhenti berlaku (admin)")
            .WithUserProblems();

        group.MapPost("/{username}/unlock", async Task<Ok<UserView>> (string username, HttpContext http, UsersAdministration users, CancellationToken ct) =>
                TypedResults.Ok(await users.UnlockAsync(http.User.ToCurrentUser(), username, ct)))
            .WithName("UnlockUser")
            .WithSummary("Buka kunci pengguna yang terkunci karena percobaan masuk gagal (admin)")
            .WithUserProblems();

        group.MapPost("/{username}/enable", async Task<Ok<UserView>> (string username, HttpContext http, UsersAdministration users, CancellationToken ct) =>
                TypedResults.Ok(await users.SetDisabledAsync(http.User.ToCurrentUser(), username, false, ct)))
            .WithName("EnableUser")
            .WithSummary("Aktifkan kembali pengguna (admin)")
            .WithUserProblems();

        return app;
    }

    private static RouteHandlerBuilder WithUserProblems(this RouteHandlerBuilder builder) => builder
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}
