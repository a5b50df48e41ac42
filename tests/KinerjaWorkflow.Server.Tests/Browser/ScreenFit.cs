using Microsoft.Playwright;

namespace KinerjaWorkflow.Server.Tests.Browser;

/// <summary>Whether a page fits its screen: no sideways scrolling, and every control a person can reach by scrolling and tap.</summary>
public static class ScreenFit
{
    /// <summary>How many CSS pixels the page is wider than the screen (0 when it fits).</summary>
    public static Task<int> OverflowAsync(IPage page) =>
        page.EvaluateAsync<int>("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)");

    /// <summary>
    /// Every visible link, button and form control in <paramref name="scope"/> that, once scrolled into view, lies
    /// outside the screen or under something else (the element at its centre is neither it nor inside it).
    /// </summary>
    public static async Task<IReadOnlyList<string>> UnreachableControlsAsync(IPage page, string scope = "body") =>
        await page.EvaluateAsync<string[]>(
            """
            (scope) => {
              const problems = [];
              const controls = [...document.querySelectorAll(`${scope} :is(a[href], button, input, select, textarea, summary)`)]
                .filter((el) => el.type !== 'hidden' && !el.closest('.skip-link, .visually-hidden')
                  && el.checkVisibility({ checkOpacity: true, visibilityProperty: true }));
              for (const el of controls) {
                el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
                // A link that wraps onto two lines is tapped on one of its lines, not between them.
                const r = [...el.getClientRects()].find((rect) => rect.width >= 1 && rect.height >= 1) ?? el.getBoundingClientRect();
                const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent || el.getAttribute('aria-label') || el.name || '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
                if (r.width < 1 || r.height < 1) {
                  problems.push(`${name}: has no size`);
                } else if (r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) {
                  problems.push(`${name}: outside the screen at ${Math.round(r.left)},${Math.round(r.top)} (${Math.round(r.width)}×${Math.round(r.height)})`);
                } else {
                  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                  if (!hit || !(hit === el || el.contains(hit))) {
                    problems.push(`${name}: covered by ${hit ? `${hit.tagName.toLowerCase()}.${String(hit.className?.baseVal ?? hit.className).trim().split(/\s+/).join('.')}` : 'nothing'}`);
                  }
                }
              }
              window.scrollTo(0, 0);
              return problems;
            }
            """,
            scope);

    /// <summary>The page fits the screen and every control in it can be reached and tapped.</summary>
    public static async Task AssertFitsAsync(IPage page, string because)
    {
        (await OverflowAsync(page)).Should().Be(0, $"{because} must not scroll sideways");
        (await UnreachableControlsAsync(page)).Should().BeEmpty($"every control of {because} can be scrolled to and tapped");
    }
}
