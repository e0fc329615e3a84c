using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Madoguchi.Web.Platform.Text;

/// <summary>Japanese text handling shared by search, forms and profiles.</summary>
public static partial class JapaneseText
{
    /// <summary>NFKC (full-width ASCII and half-width katakana to their usual forms), then katakana folded to hiragana, lower case, trimmed.</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var normalized = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var builder = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            // ァ(U+30A1)…ヶ(U+30F6) map to ぁ(U+3041)…ゖ(U+3096); ー and ヽヾ stay.
            builder.Append(c is >= '\u30A1' and <= '\u30F6' ? (char)(c - 0x60) : c);
        }
        return builder.ToString().Trim();
    }

    /// <summary>NFKC with the ideographic space made plain and runs of spaces collapsed; for storing what people type.</summary>
    public static string Clean(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "" : Spaces().Replace(text.Normalize(NormalizationForm.FormKC), " ").Trim();

    /// <summary>Katakana (full or half width) with spaces and the long vowel mark: what a フリガナ field accepts.</summary>
    public static bool IsKatakana(string? text)
    {
        var cleaned = Clean(text);
        return cleaned.Length > 0 && cleaned.All(c => c is ' ' or 'ー' or '・' or (>= '\u30A1' and <= '\u30FA') or 'ヽ' or 'ヾ');
    }

    /// <summary>Hiragana input for a フリガナ field is accepted and stored as katakana.</summary>
    public static string ToKatakana(string? text)
    {
        var cleaned = Clean(text);
        return new string(cleaned.Select(c => c is >= '\u3041' and <= '\u3096' ? (char)(c + 0x60) : c).ToArray());
    }

    /// <summary>〒123-4567, １２３４５６７, 123ー4567 → "123-4567"; null when it is not a postcode.</summary>
    public static string? NormalizePostcode(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var digits = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not ('-' or 'ー' or '−' or '‐' or '―' or '〒' or ' '))
            {
                return null;
            }
        }
        return digits.Length == 7 ? $"{digits.ToString(0, 3)}-{digits.ToString(3, 4)}" : null;
    }

    /// <summary>Phone numbers: digits with optional hyphens, 10 or 11 digits, starting with 0.</summary>
    public static string? NormalizePhone(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var cleaned = text.Normalize(NormalizationForm.FormKC).Replace("ー", "-", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return Phone().IsMatch(cleaned) && cleaned.Count(char.IsAsciiDigit) is 10 or 11 ? cleaned : null;
    }

    /// <summary>Splits a one-line address as given by the card service (都道府県 市区町村 …) into parts.</summary>
    public static (string Prefecture, string City, string Ward, string Remainder) SplitAddress(string address)
    {
        var m = AddressPattern().Match(Clean(address).Replace(" ", "", StringComparison.Ordinal));
        return m.Success
            ? (m.Groups["pref"].Value, m.Groups["city"].Value, m.Groups["ward"].Value, m.Groups["rest"].Value)
            : ("", "", "", Clean(address));
    }

    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    /// <summary>"本町1-2-3" → ("本町", "1-2-3"): the 町字 is what comes before the first digit.</summary>
    public static (string Town, string Block) SplitTownAndBlock(string rest)
    {
        var i = rest.AsSpan().IndexOfAny(Digits);
        return i < 0 ? (rest, "") : (rest[..i], rest[i..]);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^0[0-9\-]{8,12}[0-9]$")]
    private static partial Regex Phone();

    [GeneratedRegex(@"^(?<pref>東京都|北海道|(?:京都|大阪)府|.{2,3}県)?(?<city>.+?市|.+?郡.+?[町村]|.+?区(?=.)|.+?[町村])?(?<ward>.+?区)?(?<rest>.*)$")]
    private static partial Regex AddressPattern();
}
