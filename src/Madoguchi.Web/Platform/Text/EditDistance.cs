namespace Madoguchi.Web.Platform.Text;

public static class EditDistance
{
    /// <summary>
    /// The fewest insertions, deletions or substitutions that turn <paramref name="pattern"/> into some substring of
    /// <paramref name="text"/> (Sellers' algorithm: Levenshtein with a free start and end in the text).
    /// </summary>
    public static int ToAnySubstring(string pattern, string text)
    {
        if (pattern.Length == 0) return 0;
        if (text.Length == 0) return pattern.Length;
        Span<int> previous = pattern.Length < 128 ? stackalloc int[pattern.Length + 1] : new int[pattern.Length + 1];
        Span<int> current = pattern.Length < 128 ? stackalloc int[pattern.Length + 1] : new int[pattern.Length + 1];
        for (var i = 0; i <= pattern.Length; i++) previous[i] = i;
        var best = previous[pattern.Length];
        foreach (var c in text)
        {
            current[0] = 0;
            for (var i = 1; i <= pattern.Length; i++)
            {
                var substitution = previous[i - 1] + (pattern[i - 1] == c ? 0 : 1);
                current[i] = Math.Min(substitution, Math.Min(previous[i] + 1, current[i - 1] + 1));
            }
            best = Math.Min(best, current[pattern.Length]);
            var swap = previous;
            previous = current;
            current = swap;
        }
        return best;
    }
}
