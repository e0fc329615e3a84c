using Madoguchi.Web.Platform.Text;

namespace Madoguchi.Tests;

public sealed class JapaneseTextTests
{
    [Theory]
    [InlineData("ﾃﾝﾆｭｳ", "てんにゅう")]
    [InlineData("テンニュウ", "てんにゅう")]
    [InlineData("ＡＢＣ１２３", "abc123")]
    [InlineData("  住民票　", "住民票")]
    [InlineData("ガッコウ", "がっこう")]
    public void Folding_unifies_width_and_kana(string input, string expected) => Assert.Equal(expected, JapaneseText.Fold(input));

    [Theory]
    [InlineData("ヤマダ タロウ", true)]
    [InlineData("ﾔﾏﾀﾞ ﾀﾛｳ", true)]
    [InlineData("グエン　ヴァン・アン", true)]
    [InlineData("ヤマダー", true)]
    [InlineData("やまだ", false)]
    [InlineData("山田", false)]
    [InlineData("Yamada", false)]
    [InlineData("", false)]
    public void Furigana_fields_accept_only_katakana(string input, bool ok) => Assert.Equal(ok, JapaneseText.IsKatakana(input));

    [Fact]
    public void Hiragana_typed_into_a_furigana_field_is_stored_as_katakana() =>
        Assert.Equal("ヤマダ タロウ", JapaneseText.ToKatakana("やまだ　たろう"));

    [Theory]
    [InlineData("100-0001", "100-0001")]
    [InlineData("1000001", "100-0001")]
    [InlineData("〒１００－０００１", "100-0001")]
    [InlineData("１００ー０００１", "100-0001")]
    [InlineData("100-00001", null)]
    [InlineData("10-0001", null)]
    [InlineData("abc-defg", null)]
    [InlineData("", null)]
    public void Postcodes_are_read_in_every_usual_form(string input, string? expected) => Assert.Equal(expected, JapaneseText.NormalizePostcode(input));

    [Theory]
    [InlineData("090-1234-5678", "090-1234-5678")]
    [InlineData("０３１２３４５６７８", "0312345678")]
    [InlineData("12345", null)]
    [InlineData("090-1234-56789", null)]
    public void Phone_numbers_are_checked(string input, string? expected) => Assert.Equal(expected, JapaneseText.NormalizePhone(input));

    [Theory]
    [InlineData("さくら県みどり市中央区本町1-2-3", "さくら県", "みどり市", "中央区", "本町1-2-3")]
    [InlineData("大阪府大阪市北区梅田9-9-9", "大阪府", "大阪市", "北区", "梅田9-9-9")]
    [InlineData("東京都千代田区霞が関1-2-3", "東京都", "千代田区", "", "霞が関1-2-3")]
    [InlineData("千葉県市川市八幡1-1-1", "千葉県", "市川市", "", "八幡1-1-1")]
    [InlineData("神奈川県足柄上郡開成町延沢1", "神奈川県", "足柄上郡開成町", "", "延沢1")]
    public void One_line_addresses_split_into_parts(string address, string prefecture, string city, string ward, string rest) =>
        Assert.Equal((prefecture, city, ward, rest), JapaneseText.SplitAddress(address));

    [Fact]
    public void Town_and_block_split_at_the_first_digit()
    {
        Assert.Equal(("本町", "1-2-3"), JapaneseText.SplitTownAndBlock("本町1-2-3"));
        Assert.Equal(("字大原", ""), JapaneseText.SplitTownAndBlock("字大原"));
    }
}
