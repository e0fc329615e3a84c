using Madoguchi.Web.Features.Guide;

namespace Madoguchi.Web.Features.Catalog;

/// <summary>
/// The catalogue of the invented みどり市 (seven wards), written for the demo in our own words. Procedures the wards
/// handle become one item per ward office; the rest belong to one central office or to a body outside the city.
/// </summary>
public static class DemoCatalog
{
    public sealed record Ward(string Id, string Name, string En, string Easy, string Address, int Number);

    public static readonly IReadOnlyList<Ward> Wards =
    [
        new("chuo", "中央区役所", "Chuo Ward Office", "ちゅうおうく やくしょ", "みどり市中央区本町1-1-1", 1),
        new("kita", "北区役所", "Kita Ward Office", "きたく やくしょ", "みどり市北区若葉町1-10-1", 2),
        new("minami", "南区役所", "Minami Ward Office", "みなみく やくしょ", "みどり市南区港町2-3-1", 3),
        new("higashi", "東区役所", "Higashi Ward Office", "ひがしく やくしょ", "みどり市東区桜台5-1-1", 4),
        new("nishi", "西区役所", "Nishi Ward Office", "にしく やくしょ", "みどり市西区川端町1-2-3", 5),
        new("minato", "港区役所", "Minato Ward Office", "みなとく やくしょ", "みどり市港区浜辺3-3-3", 6),
        new("midori", "緑区役所", "Midori Ward Office", "みどりく やくしょ", "みどり市緑区森の里1-1-1", 7),
    ];

    public static string WardPhone(Ward ward) => $"012-3{ward.Number}0-1000";

    public static IEnumerable<Office> Offices() =>
    [
        .. Wards.Select(w => new Office { Id = w.Id, Name = w.Name, NameEn = w.En, NameEasy = w.Easy, Kind = "ward", Address = w.Address, Phone = WardPhone(w), Order = w.Number }),
        new Office { Id = "cityhall", Name = "みどり市役所 本庁舎", NameEn = "Midori City Hall", NameEasy = "みどりし やくしょ", Kind = "cityhall", Address = "みどり市中央区本町1-1-2", Phone = "0120-000-000", Order = 10 },
        new Office { Id = "shizei", Name = "市税事務所", NameEn = "City Tax Office", NameEasy = "しの ぜいきんの じむしょ", Kind = "center", Address = "みどり市中央区本町2-5-1", Phone = "012-300-2000", Order = 11 },
        new Office { Id = "suido", Name = "上下水道局 お客さまセンター", NameEn = "Waterworks Bureau customer center", NameEasy = "すいどうの まどぐち", Kind = "center", Address = "みどり市中央区水道町1-1", Phone = "012-300-3000", Order = 12 },
    ];

    public static IEnumerable<Department> Departments() =>
    [
        new Department { Id = "shimin", Name = "市民課", NameEn = "Residents Division", NameEasy = "しみんか（じゅうしょの まどぐち）" },
        new Department { Id = "kokuho", Name = "国保年金課", NameEn = "Health Insurance and Pension Division", NameEasy = "こくほ ねんきんか（けんこうほけん・ねんきん）" },
        new Department { Id = "kodomo", Name = "子ども・家庭課", NameEn = "Children and Families Division", NameEasy = "こども かていか" },
        new Department { Id = "hoken", Name = "保健福祉課", NameEn = "Health and Welfare Division", NameEasy = "ほけん ふくしか" },
        new Department { Id = "kaigo", Name = "介護保険課", NameEn = "Long-term Care Insurance Division", NameEasy = "かいご ほけんか" },
        new Department { Id = "shogai", Name = "障害福祉課", NameEn = "Disability Welfare Division", NameEasy = "しょうがい ふくしか" },
        new Department { Id = "zeimu", Name = "市税事務所 税務課", NameEn = "City Tax Office", NameEasy = "ぜいきんの かかり" },
        new Department { Id = "suido", Name = "上下水道局", NameEn = "Waterworks Bureau", NameEasy = "すいどうの かかり" },
        new Department { Id = "center", Name = "デジタル事務集中処理センター", NameEn = "Central Processing Center", NameEasy = "まとめて しょりする かかり" },
        new Department { Id = "kosodate", Name = "子育て支援課", NameEn = "Child-rearing Support Division", NameEasy = "こそだて しえんか" },
        new Department { Id = "keisatsu", Name = "警察署・運転免許センター", NameEn = "Police station / driver's licence center", NameEasy = "けいさつ", External = true },
        new Department { Id = "unyu", Name = "運輸支局", NameEn = "District Transport Bureau", NameEasy = "くるまの とうろくの じむしょ", External = true },
        new Department { Id = "nenkin", Name = "年金事務所", NameEn = "Pension Office", NameEasy = "ねんきんの じむしょ", External = true },
        new Department { Id = "kasai", Name = "家庭裁判所", NameEn = "Family Court", NameEasy = "かてい さいばんしょ", External = true },
        new Department { Id = "zeimusho", Name = "税務署", NameEn = "Tax Office (national)", NameEasy = "くにの ぜいむしょ", External = true },
        new Department { Id = "homukyoku", Name = "法務局", NameEn = "Legal Affairs Bureau", NameEasy = "ほうむきょく", External = true },
    ];

    /// <summary>Where each department sits in every ward office.</summary>
    private static readonly Dictionary<string, (string Counter, string Extension)> Counters = new()
    {
        ["shimin"] = ("1階 1〜4番窓口", "1101"),
        ["kokuho"] = ("1階 6・7番窓口", "1201"),
        ["kodomo"] = ("2階 21番窓口", "2101"),
        ["hoken"] = ("2階 23番窓口", "2201"),
        ["kaigo"] = ("2階 25番窓口", "2301"),
        ["shogai"] = ("2階 27番窓口", "2401"),
    };

    // Things to bring, shared between procedures so the plan's checklist merges them.
    private static readonly Text IdDoc = new("本人確認書類（マイナンバーカード、運転免許証など）", "Photo ID (My Number card, driver's licence, etc.)", "じぶんだと わかる もの（マイナンバーカード、うんてんめんきょしょう など）");
    private static readonly Text Card = new("マイナンバーカード（世帯全員分）", "My Number cards of everyone concerned", "マイナンバーカード（かぞく みんなの ぶん）");
    private static readonly Text Pin = new("カードの暗証番号（数字4桁）", "The card's 4-digit PIN", "カードの あんしょう ばんごう（すうじ 4つ）");
    private static readonly Text MoveOutCert = new("転出証明書（前の市区町村で受け取ったもの）", "Moving-out certificate from your former municipality", "まえの まちで もらった「てんしゅつ しょうめいしょ」");
    private static readonly Text ResidenceCard = new("在留カード・特別永住者証明書", "Residence card or special permanent resident certificate", "ざいりゅう カード");
    private static readonly Text Boshi = new("母子健康手帳", "Maternal and child health handbook", "ぼしけんこう てちょう");
    private static readonly Text BirthForm = new("出生届（出生証明書に医師か助産師の記入があるもの）", "Birth registration form with the doctor's or midwife's certificate", "しゅっせいとどけ（おいしゃさんか じょさんしさんが かいた もの）");
    private static readonly Text Bank = new("振込先の口座がわかるもの（通帳・キャッシュカード）", "Bank account details for payments (passbook or cash card)", "おかねを ふりこむ ぎんこうの つうちょうか カード");
    private static readonly Text InsuranceInfo = new("健康保険の資格がわかるもの（資格確認書など）", "Proof of health insurance (eligibility certificate, etc.)", "けんこうほけんが わかる もの");
    private static readonly Text KokuhoCard = new("国民健康保険の資格確認書・保険証", "National Health Insurance certificate", "こくほの ほけんしょう");
    private static readonly Text LostInsurance = new("前の健康保険をやめた日がわかる書類（資格喪失証明書）", "Certificate showing when your previous insurance ended", "まえの ほけんを やめた ひが わかる かみ");
    private static readonly Text NewInsurance = new("新しい健康保険の資格がわかるもの", "Proof of your new health insurance", "あたらしい ほけんが わかる もの");
    private static readonly Text Seal = new("登録する印鑑", "The seal (inkan) to register", "とうろくする はんこ");
    private static readonly Text DogTag = new("犬の鑑札と狂犬病予防注射済票", "The dog's licence tag and rabies vaccination tag", "いぬの かんさつと ちゅうしゃの ふだ");
    private static readonly Text DeathForm = new("死亡届（死亡診断書に医師の記入があるもの）", "Death notification form with the doctor's death certificate", "しぼうとどけ（おいしゃさんが かいた もの）");
    private static readonly Text FuneralReceipt = new("葬儀の領収書など喪主がわかるもの", "Funeral receipt showing the chief mourner", "おそうしきの りょうしゅうしょ");
    private static readonly Text HeirBank = new("相続人の口座がわかるもの", "The heir's bank account details", "そうぞくする ひとの ぎんこうこうざ");
    private static readonly Text PensionCert = new("年金証書", "Pension certificate", "ねんきん しょうしょ");
    private static readonly Text SchoolCert = new("在学証明書と教科書給与証明書（前の学校でもらうもの）", "Enrolment and textbook certificates from the former school", "まえの がっこうで もらう しょうめいしょ");
    private static readonly Text CareCert = new("介護保険 受給資格証明書（前の市区町村で受け取ったもの）", "Long-term care eligibility certificate from your former municipality", "かいごほけんの しょうめいしょ");
    private static readonly Text BurdenCert = new("負担区分等証明書（前の市区町村で受け取ったもの）", "Co-payment category certificate from your former municipality", "まえの まちで もらった しょうめいしょ");
    private static readonly Text Techo = new("障害者手帳・受給者証", "Disability handbook or recipient certificate", "しょうがいしゃ てちょう");
    private static readonly Text MarriageForm = new("婚姻届（証人2名の署名があるもの）", "Marriage registration form signed by two witnesses", "こんいんとどけ（しょうにん ふたりの なまえが ある もの）");
    private static readonly Text WorkCert = new("就労証明書など保育が必要なことがわかる書類", "Proof that you need childcare (employment certificate, etc.)", "しごとを している ことが わかる かみ");
    private static readonly Text Plate = new("標識（ナンバープレート）", "Licence plate", "ナンバープレート");
    private static readonly Text Receipt = new("領収書", "Receipts", "りょうしゅうしょ");
    private static readonly Text MedicalCards = new("市が交付した医療証・受給者証", "Medical cards and certificates issued by the city", "しが わたした いりょうしょう");

    private static DeadlineRule After(string anchor, int days, string? note = null) => new(anchor, Days: days, Note: note is null ? null : Notes[note]);
    private static DeadlineRule Counting(string anchor, int days) => new(anchor, Days: days, FirstDayCounts: true);
    private static DeadlineRule Months(string anchor, int months, bool firstDayCounts = false) => new(anchor, Months: months, FirstDayCounts: firstDayCounts);
    private static DeadlineRule Soon(string note) => new("change", Note: Notes[note]);

    private static readonly Dictionary<string, Text> Notes = new()
    {
        ["soon"] = new("すみやかに手続きしてください。", "Please apply as soon as possible.", "はやめに てつづきして ください。"),
        ["any"] = new("期限はありません。必要なときに手続きしてください。", "No deadline; apply when you need it.", "きげんは ありません。"),
        ["marriage"] = new("期限はありません。届け出た日に婚姻が成立します。", "No deadline; the marriage takes effect on the day it is filed.", "きげんは ありません。だした ひに けっこんが きまります。"),
        ["tenshutsu"] = new("引越しの14日前から届け出られます。", "You can file from 14 days before the move.", "ひっこしの 14にち まえから だせます。"),
        ["card"] = new("転入届と同時に。転入届から90日を過ぎるとカードが使えなくなります。", "Together with the moving-in notification; the card stops working 90 days after it.", "てんにゅうとどけと いっしょに して ください。"),
        ["iryo"] = new("申請した月の分から助成します。", "Support starts from the month you apply.", "もうしこんだ つきから たすけます。"),
        ["hoiku"] = new("毎月10日が翌月入所分の締切です。", "Apply by the 10th for a place the following month.", "まいつき 10にちまでに もうしこんで ください。"),
        ["suido"] = new("引越しの3日前までに連絡してください。", "Contact us at least 3 days before the move.", "ひっこしの 3にち まえまでに れんらく して ください。"),
        ["ninshin"] = new("妊娠がわかったら、なるべく早く届け出てください。", "File as soon as you know you are pregnant.", "あかちゃんが できたと わかったら はやめに だして ください。"),
        ["tsuchi"] = new("生後28日以内の訪問のため、早めに出してください。", "Send it early so that we can visit within 28 days of birth.", "うまれてから はやめに だして ください。"),
        ["mijukuji"] = new("入院中に申請してください。", "Apply while the baby is in hospital.", "にゅういん している あいだに もうしこんで ください。"),
        ["kekkon"] = new("年度の予算の範囲内で受け付けます。", "Accepted while this year's budget lasts.", "おかねが なくなったら おわります。"),
        ["nenkin"] = new("厚生年金は10日以内に年金事務所へ。", "Employees' pension: within 10 days at the pension office.", "こうせいねんきんは 10にち いないです。"),
        ["kenshin"] = new("対象の月齢になると案内を送ります。", "We send an invitation when your child reaches the age.", "じかんに なったら おしらせを おくります。"),
    };

    private sealed record Template(
        string Code, string Office, string Department, Text Name, string Reading, Text Summary, string[] Events, DeadlineRule? Deadline,
        Text[] Bring, string[] Channels, string LegalBasis, int Order, int? ProcessingDays = 0, OnlineFiling? Online = null, int? Fee = null,
        string[]? Who = null, Attachment[]? Attachments = null, string[]? Related = null, Text? FeeNote = null);

    private const string PerWard = "ward";
    private const string None = "";
    private static readonly string[] AtCounter = [Channel.Counter];
    private static readonly string[] Online = [Channel.Online, Channel.Counter];
    private static readonly OnlineFiling Card10 = new("high", false, 10);
    private static readonly OnlineFiling Low5 = new("low", false, 5);

    private static Text T(string ja, string en, string easy) => new(ja, en, easy);

    private static readonly Template[] Templates =
    [
        // A. 引越し
        new("tennyu", PerWard, "shimin", T("転入届", "Moving-in notification", "てんにゅう とどけ（ほかの まちから ひっこして きた とき）"), "てんにゅうとどけ",
            T("市外から引っ越してきたときに、新しい住所を届け出ます。", "Register your new address when you move to the city from another municipality.", "ほかの まちから みどりしに ひっこして きた ときに だします。"),
            ["引越し"], After("move", 14), [IdDoc, MoveOutCert, Card], AtCounter, "住民基本台帳法第22条", 10,
            Who: ["self", "household", "proxy"], Attachments: [new(ResidenceCard, T("外国籍の方がいるとき", "If a household member is a foreign national", "がいこくの ひとが いる とき"))],
            Related: ["mynumber-keizoku", "kokuho-kanyu", "jido-teate"]),
        new("tenkyo", PerWard, "shimin", T("転居届", "Change of address within the city", "てんきょ とどけ（しの なかで ひっこした とき）"), "てんきょとどけ",
            T("市内で引っ越したとき（区をまたぐときは新しい区で）届け出ます。", "Report a move within the city; across wards, at the new ward office.", "しの なかで ひっこした ときに だします。"),
            ["引越し"], After("move", 14), [IdDoc, Card], AtCounter, "住民基本台帳法第23条", 10, Who: ["self", "household", "proxy"]),
        new("tenshutsu", PerWard, "shimin", T("転出届", "Moving-out notification", "てんしゅつ とどけ（ほかの まちへ ひっこす とき）"), "てんしゅつとどけ",
            T("市外へ引っ越すときに届け出ます。マイナンバーカードがあればマイナポータルでオンライン申請できます。", "File before moving out of the city; with a My Number card you can do it online on Mynaportal.", "ほかの まちへ ひっこす ときに だします。マイナンバーカードが あれば インターネットで できます。"),
            ["引越し"], After("move", 14, "tenshutsu"), [IdDoc], [Channel.Online, Channel.Counter, Channel.Mail], "住民基本台帳法第24条", 10,
            Online: new OnlineFiling("high", false, 10, "https://myna.go.jp/"), Who: ["self", "household", "proxy"]),
        new("setai-henko", PerWard, "shimin", T("世帯変更届（世帯分離・合併）", "Change of household composition", "せたいの へんこう とどけ"), "せたいへんこうとどけ",
            T("同じ住所で世帯を分けたり一緒にしたりしたときに届け出ます。", "Report when households at one address are split or merged.", "いえの なかで せたいを わけたり、いっしょに したり した とき。"),
            ["引越し", "結婚・離婚"], After("change", 14), [IdDoc], AtCounter, "住民基本台帳法第25条", 12),
        new("mynumber-keizoku", PerWard, "shimin", T("マイナンバーカードの継続利用（住所変更）", "Keeping your My Number card valid after a move", "マイナンバーカードの じゅうしょ へんこう"), "まいなんばーかーどのけいぞくりよう",
            T("転入・転居のあと、カードに新しい住所を書き込み、引き続き使えるようにします。", "After a move the new address is written onto the card so it stays valid.", "ひっこしの あと、カードに あたらしい じゅうしょを かきます。"),
            ["引越し"], After("move", 14, "card"), [Card, Pin], AtCounter, "行政手続における特定の個人を識別するための番号の利用等に関する法律第17条", 15),
        new("shomei-saihakko", PerWard, "shimin", T("署名用電子証明書の再発行", "Reissuing the signature certificate on the card", "カードの でんし しょうめいしょを もう いちど いれる"), "しょめいようでんししょうめいしょ",
            T("住所や氏名が変わると署名用電子証明書は失効します。オンライン申請に使う方は再発行してください。", "The signature certificate lapses when your address or name changes; reissue it if you file online.", "じゅうしょや なまえが かわると つかえなく なります。"),
            ["引越し", "結婚・離婚"], Soon("any"), [Card, Pin], AtCounter, "電子署名等に係る地方公共団体情報システム機構の認証業務に関する法律", 16, Fee: 200),
        new("inkan-toroku", PerWard, "shimin", T("印鑑登録", "Seal (inkan) registration", "はんこの とうろく"), "いんかんとうろく",
            T("実印として使う印鑑を登録します。転出や氏の変更で前の登録はなくなります。", "Register a seal as your official seal; moving out or a change of surname cancels the old registration.", "だいじな はんこを とうろく します。"),
            ["引越し", "結婚・離婚"], Soon("any"), [IdDoc, Seal], AtCounter, "みどり市印鑑条例", 17, Fee: 300),
        new("kokuho-kanyu", PerWard, "kokuho", T("国民健康保険 加入届", "Joining National Health Insurance", "こくみん けんこうほけんに はいる とどけ"), "こくみんけんこうほけんかにゅう",
            T("転入・出生・勤め先の保険をやめたときなどに、国民健康保険に加入します。", "Join National Health Insurance after moving in, a birth or leaving an employer's insurance.", "こくほに はいる ときの とどけです。"),
            ["引越し", "出生・こども", "結婚・離婚", "医療・健康"], After("change", 14), [IdDoc, LostInsurance], Online, "国民健康保険法第9条", 20, ProcessingDays: 0, Online: Card10,
            Related: ["kokumin-nenkin"]),
        new("kokuho-dattai", PerWard, "kokuho", T("国民健康保険 脱退届", "Leaving National Health Insurance", "こくほを やめる とどけ"), "こくみんけんこうほけんだったい",
            T("転出や勤め先の保険に入ったときに、国民健康保険をやめる届出です。", "Leave National Health Insurance when you move out or join an employer's insurance.", "こくほを やめる ときの とどけです。"),
            ["引越し", "結婚・離婚", "医療・健康"], After("change", 14), [KokuhoCard, NewInsurance], Online, "国民健康保険法第9条", 20, Online: Card10),
        new("kokumin-nenkin", PerWard, "kokuho", T("国民年金 加入・住所変更の届出", "National Pension: enrolment and change of address", "こくみん ねんきんの とどけ"), "こくみんねんきん",
            T("20歳以上60歳未満で会社の年金に入っていない方の加入・変更の届出です。", "For people aged 20 to 59 not covered by an employer's pension.", "20さいから 59さいの ひとの ねんきんの とどけです。"),
            ["引越し", "年金の受給"], After("change", 14), [IdDoc], [Channel.Online, Channel.Counter], "国民年金法第12条", 22, Online: new OnlineFiling("high", false, 10, "https://www.e-gov.go.jp/")),
        new("koki-kanyu", PerWard, "kokuho", T("後期高齢者医療 資格取得（転入）", "Late-stage elderly medical care: joining after moving in", "75さい いじょうの ひとの いりょう ほけん"), "こうきこうれいしゃいりょう",
            T("75歳以上の方が転入したときの届出です。", "For people aged 75 or over moving into the city.", "75さい いじょうの ひとが ひっこして きた とき。"),
            ["引越し", "医療・健康"], After("move", 14), [IdDoc, BurdenCert], AtCounter, "高齢者の医療の確保に関する法律第50条", 24),
        new("kaigo-tennyu", PerWard, "kaigo", T("介護保険 転入の届出（要介護認定の引継ぎ）", "Long-term care insurance: carrying over your care level", "かいご ほけんの ひきつぎ"), "かいごほけんてんにゅう",
            T("要介護・要支援の認定を受けている方が転入したとき、受給資格証明書を出すと認定を引き継げます。", "Bring the eligibility certificate within 14 days to keep your care level after moving in.", "かいごの にんていを うけて いる ひとが ひっこして きた とき。"),
            ["引越し", "介護"], After("move", 14), [CareCert], AtCounter, "介護保険法第36条", 30),
        new("jido-teate", PerWard, "kodomo", T("児童手当 認定請求", "Child allowance: new claim", "じどう てあての もうしこみ"), "じどうてあてにんていせいきゅう",
            T("子どもが生まれたときや転入したときに、児童手当を受けるための請求をします。遅れると遅れた月の分は受けられません。", "Claim child allowance after a birth or a move; late claims lose the months before the claim.", "こどもが うまれた ときや ひっこして きた ときに もうしこみます。"),
            ["出生・こども", "引越し"], After("birth-or-moveout", 15), [Bank, InsuranceInfo], Online, "児童手当法第7条", 40, ProcessingDays: 20, Online: Card10,
            Who: ["self"], Attachments: [new(T("別居監護申立書", "Declaration of custody while living apart", "べつに すんで いる ときの かみ"), T("子どもと別に住んでいるとき", "If you live apart from the child", "こどもと べつに すんで いる とき"))],
            Related: ["kodomo-iryo"]),
        new("kodomo-iryo", PerWard, "kodomo", T("子ども医療費 受給資格申請", "Children's medical expenses subsidy", "こどもの いりょうひの たすけ"), "こどもいりょうひ",
            T("中学生までの子どもの医療費の自己負担を助成する医療証を交付します。", "A medical card that covers children's co-payments up to junior high school.", "こどもが びょういんに かかる おかねを しが たすけます。"),
            ["出生・こども", "引越し", "医療・健康"], Soon("iryo"), [InsuranceInfo], Online, "みどり市子ども医療費助成条例", 42, ProcessingDays: 5, Online: Card10),
        new("jido-fuyo-teate", PerWard, "kodomo", T("児童扶養手当 認定請求", "Child-rearing allowance for single parents", "ひとりおやの てあて"), "じどうふようてあて",
            T("ひとり親家庭などの子どもを育てている方への手当です。面談が必要です。", "An allowance for single-parent families; an interview is needed.", "ひとりで こどもを そだてて いる ひとの てあてです。"),
            ["出生・こども", "結婚・離婚"], Soon("soon"), [IdDoc, Bank], AtCounter, "児童扶養手当法第6条", 44, ProcessingDays: 30),
        new("hitorioya-iryo", PerWard, "kodomo", T("ひとり親家庭等医療証 交付申請", "Medical card for single-parent families", "ひとりおや かていの いりょうしょう"), "ひとりおやかていいりょう",
            T("ひとり親家庭の親と子の医療費の自己負担を助成します。", "Covers medical co-payments for single parents and their children.", "ひとりおや かていの いりょうひを たすけます。"),
            ["出生・こども", "結婚・離婚"], Soon("soon"), [InsuranceInfo], AtCounter, "みどり市ひとり親家庭等医療費助成条例", 45, ProcessingDays: 5),
        new("tengaku", PerWard, "shimin", T("小・中学校の転入学", "Transferring to a primary or junior high school", "しょうがっこう・ちゅうがっこうの てんこう"), "てんにゅうがく",
            T("転入届と一緒に手続きし、転入学通知書を新しい学校へ持って行きます。", "Done with the moving-in notification; take the transfer notice to the new school.", "てんにゅう とどけと いっしょに します。"),
            ["引越し", "出生・こども"], Soon("soon"), [SchoolCert], AtCounter, "学校教育法施行令第5条", 18),
        new("hoikusho", PerWard, "kodomo", T("保育所等 利用申込・転園", "Applying for a nursery place", "ほいくえんの もうしこみ"), "ほいくしょ",
            T("保育所・認定こども園などの利用を申し込みます。", "Apply for a place at a nursery or certified centre.", "ほいくえんに はいる もうしこみです。"),
            ["出生・こども", "引越し"], Soon("hoiku"), [WorkCert], Online, "子ども・子育て支援法第20条", 46, ProcessingDays: 30, Online: Card10),
        new("shogai-jusho", PerWard, "shogai", T("障害者手帳の居住地変更", "Disability handbook: change of address", "しょうがいしゃ てちょうの じゅうしょ へんこう"), "しょうがいしゃてちょう",
            T("身体障害者手帳・療育手帳・精神障害者保健福祉手帳の住所を変更します。", "Update the address on any disability handbook.", "てちょうの じゅうしょを かえます。"),
            ["引越し"], Soon("soon"), [Techo], AtCounter, "身体障害者福祉法施行令第9条", 50),
        new("jiritsu-jusho", PerWard, "shogai", T("自立支援医療・特定医療費の住所変更", "Medical support certificates: change of address", "いりょうの じゅきゅうしゃしょうの じゅうしょ へんこう"), "じりつしえんいりょう",
            T("自立支援医療や指定難病の受給者証の住所を変更します。", "Update the address on medical support certificates.", "じゅきゅうしゃしょうの じゅうしょを かえます。"),
            ["引越し", "医療・健康"], Soon("soon"), [Techo], AtCounter, "障害者の日常生活及び社会生活を総合的に支援するための法律第58条", 51),
        new("inu-henko", PerWard, "hoken", T("犬の登録事項変更届", "Dog registration: change of owner details", "いぬの とうろくの へんこう"), "いぬのとうろくじこうへんこう",
            T("犬と一緒に引っ越したときや飼い主が変わったときの届出です。", "Report a move with your dog or a change of owner.", "いぬと いっしょに ひっこした ときの とどけです。"),
            ["引越し"], After("move", 30), [DogTag], [Channel.Online, Channel.Counter], "狂犬病予防法第4条", 60, Online: Low5),
        new("inu-toroku", PerWard, "hoken", T("犬の登録（新規）", "Registering a dog", "いぬの とうろく"), "いぬのとうろく",
            T("生後91日以上の犬を飼い始めたら登録し、鑑札を受け取ります。", "Register a dog over 90 days old and receive its licence tag.", "いぬを かいはじめたら とうろく します。"),
            ["その他"], After("change", 30), [], [Channel.Online, Channel.Counter], "狂犬病予防法第4条", 60, Online: new OnlineFiling("low", true, 5), Fee: 3000),
        new("inu-shibo", PerWard, "hoken", T("犬の死亡届", "Reporting the death of a dog", "いぬが しんだ ときの とどけ"), "いぬのしぼうとどけ",
            T("飼い犬が死んだときに届け出ます。", "Report when your dog dies.", "いぬが しんだ ときに だします。"),
            ["その他"], After("change", 30), [DogTag], [Channel.Online, Channel.Counter], "狂犬病予防法施行令第5条", 60, Online: Low5),
        new("gentsuki", "shizei", "zeimu", T("原付・小型特殊自動車の登録・廃車", "Registering or deregistering a moped", "げんつきの とうろく・はいしゃ"), "げんつき",
            T("原動機付自転車などのナンバーの登録・廃車の手続きです。", "Register or deregister a moped or small special vehicle.", "げんつきの ナンバーの てつづきです。"),
            ["引越し", "自動車の購入・保有"], Soon("soon"), [IdDoc, Plate], AtCounter, "みどり市市税条例", 70),
        new("suido", "suido", "suido", T("上下水道の使用開始・中止", "Starting or stopping water service", "すいどうを つかい はじめる・やめる"), "じょうげすいどう",
            T("引越しに合わせて水道の使用開始・中止を申し込みます。", "Start or stop water service for your move.", "ひっこしに あわせて すいどうの もうしこみを します。"),
            ["引越し", "住宅の購入・保有"], Soon("suido"), [], [Channel.Online, Channel.Counter], "みどり市水道事業給水条例", 80, Online: new OnlineFiling("low", false, 5)),
        new("menkyo", None, "keisatsu", T("運転免許証の記載事項変更", "Updating your driver's licence", "うんてん めんきょしょうの じゅうしょ へんこう"), "うんてんめんきょ",
            T("住所や氏名が変わったら、警察署などで免許証の記載を変更します。", "Update your licence at a police station after a change of address or name.", "けいさつで めんきょしょうの じゅうしょを かえます。"),
            ["引越し", "結婚・離婚"], Soon("soon"), [IdDoc], AtCounter, "道路交通法第94条", 90, ProcessingDays: null),
        new("jidosha-henko", None, "unyu", T("自動車の変更登録", "Updating your car registration", "じどうしゃの とうろくの へんこう"), "じどうしゃへんこうとうろく",
            T("住所が変わったら、運輸支局で自動車の登録を変更します。", "Update your car's registration at the transport bureau after a move.", "くるまの とうろくを かえます。"),
            ["引越し", "自動車の購入・保有"], After("move", 15), [IdDoc], [Channel.Online, Channel.Counter], "道路運送車両法第12条", 91, ProcessingDays: null, Online: new OnlineFiling("high", true, 20, "https://www.oss.mlit.go.jp/")),
        new("zairyu-jukyochi", PerWard, "shimin", T("在留カードの住居地の届出", "Reporting your address on the residence card", "ざいりゅう カードの じゅうしょの とどけ"), "ざいりゅうかーど",
            T("外国籍の方は、新しい住所に住み始めてから14日以内に在留カードの住居地を届け出ます（転入届と一緒にできます）。", "Foreign residents report their new address on the residence card within 14 days, together with the moving-in notification.", "がいこくの ひとは ざいりゅう カードの じゅうしょを とどけます。"),
            ["引越し"], After("move", 14), [ResidenceCard], AtCounter, "出入国管理及び難民認定法第19条の9", 11),

        // B. 妊娠・出生
        new("ninshin-todoke", PerWard, "hoken", T("妊娠届（母子健康手帳の交付）", "Pregnancy notification and maternal health handbook", "にんしんの とどけ（ぼしけんこう てちょう）"), "にんしんとどけ",
            T("妊娠がわかったら届け出て、母子健康手帳と妊婦健診の受診票を受け取ります。保健師が面談します。", "Report your pregnancy to receive the maternal and child health handbook and check-up vouchers; a public health nurse meets you.", "あかちゃんが できたら とどけて、てちょうを もらいます。"),
            ["妊娠"], Soon("ninshin"), [IdDoc], Online, "母子保健法第15条", 10, Online: Card10, Related: ["ninpu-shien"]),
        new("ninpu-shien", PerWard, "kodomo", T("妊婦のための支援給付（面談と申請）", "Support payment for expectant mothers", "にんしんした ひとへの おかね"), "にんぷのためのしえんきゅうふ",
            T("妊娠の届出の後の面談と合わせて、支援給付を申請します。", "Apply for the support payment together with the interview after the pregnancy notification.", "めんだんの あと、おかねを もうしこみます。"),
            ["妊娠"], Soon("soon"), [Bank], Online, "子ども・子育て支援法第10条の2", 12, ProcessingDays: 20, Online: Card10),
        new("shussei-todoke", PerWard, "shimin", T("出生届", "Birth registration", "しゅっせい とどけ（あかちゃんが うまれた とき）"), "しゅっせいとどけ",
            T("子どもが生まれたら、生まれた日を含めて14日以内に届け出ます（国外で生まれたときは3か月以内）。", "Register a birth within 14 days counting the day of birth (3 months if born abroad).", "あかちゃんが うまれたら 14にち いないに だします。"),
            ["出生・こども"], Counting("birth", 14), [BirthForm, Boshi], AtCounter, "戸籍法第49条", 10,
            Who: ["parent", "proxy"], Related: ["kokuho-kanyu", "jido-teate", "kodomo-iryo"]),
        new("shinseiji-mynumber", PerWard, "shimin", T("新生児のマイナンバーカード申請", "My Number card for a newborn", "あかちゃんの マイナンバーカード"), "しんせいじのまいなんばーかーど",
            T("出生届と一緒に、赤ちゃんのマイナンバーカードを申請できます（写真は不要です）。", "You can apply for the baby's My Number card together with the birth registration; no photo needed.", "あかちゃんの カードも いっしょに もうしこめます。"),
            ["出生・こども"], Soon("any"), [], AtCounter, "行政手続における特定の個人を識別するための番号の利用等に関する法律第16条の2", 11, ProcessingDays: 30),
        new("shussan-ikuji", PerWard, "kokuho", T("出産育児一時金の支給申請", "Childbirth lump-sum allowance", "しゅっさんの おかね"), "しゅっさんいくじいちじきん",
            T("国民健康保険の方が出産したとき、直接支払制度を使わなかったときや差額があるときに申請します。", "For NHI members: claim when the direct payment system was not used or when the cost was below the allowance.", "こくほの ひとが あかちゃんを うんだ ときの おかねです。"),
            ["出生・こども", "医療・健康"], Months("birth", 24), [Receipt, Bank, Boshi], Online, "国民健康保険法第58条", 25, ProcessingDays: 30, Online: Card10),
        new("jido-teate-gakukaitei", PerWard, "kodomo", T("児童手当 額改定請求", "Child allowance: increasing the amount", "じどう てあての がくを かえる もうしこみ"), "じどうてあてがくかいてい",
            T("すでに児童手当を受けている方に子どもが生まれたとき、額を改定します。", "If you already receive child allowance, claim the higher amount after a birth.", "もう てあてを もらって いる ひとに こどもが うまれた とき。"),
            ["出生・こども"], After("birth", 15), [], Online, "児童手当法第9条", 41, ProcessingDays: 20, Online: Card10),
        new("shussei-tsuchi", PerWard, "hoken", T("出生通知書（新生児訪問）", "Birth notice for the newborn home visit", "あかちゃんの ほうもんの はがき"), "しゅっせいつうちしょ",
            T("母子健康手帳のはがきか、オンラインで出すと、保健師や助産師が家庭を訪問します。", "Send the postcard from the handbook, or this online form, and a nurse or midwife will visit.", "だすと ほけんしさんが いえに きます。"),
            ["出生・こども"], Soon("tsuchi"), [], [Channel.Online, Channel.Mail], "母子保健法第11条", 50, Online: Low5),
        new("teitaiju", PerWard, "hoken", T("低体重児届", "Low birth weight notification", "ちいさく うまれた あかちゃんの とどけ"), "ていたいじゅうじとどけ",
            T("2,500グラム未満で生まれた赤ちゃんを届け出ると、保健師が支援します。", "Report a baby born under 2,500 g so that a nurse can support you.", "2500グラムより ちいさく うまれた とき。"),
            ["出生・こども"], Soon("soon"), [Boshi], [Channel.Online, Channel.Counter], "母子保健法第18条", 51, Online: Low5),
        new("mijukuji-iryo", PerWard, "hoken", T("未熟児養育医療 給付申請", "Medical care for premature infants", "みじゅくじの いりょうひ"), "みじゅくじよういくいりょう",
            T("入院して養育が必要な未熟児の医療費を助成します。", "Covers hospital care for premature babies.", "ちいさく うまれて にゅういん した あかちゃんの いりょうひ。"),
            ["出生・こども", "医療・健康"], Soon("mijukuji"), [InsuranceInfo, Boshi], AtCounter, "母子保健法第20条", 52, ProcessingDays: 14),
        new("nyuyoji-kenshin", PerWard, "hoken", T("乳幼児健診・予防接種の案内", "Infant check-ups and vaccinations", "あかちゃんの けんしんと よぼうせっしゅ"), "にゅうようじけんしん",
            T("申請は不要です。月齢に合わせて健診と予防接種の案内を送ります。", "Nothing to file: invitations come by post at each age.", "もうしこみは いりません。おしらせを おくります。"),
            ["出生・こども", "医療・健康"], Soon("kenshin"), [], [], "母子保健法第12条", 99, ProcessingDays: null),

        // C. 結婚
        new("konin-todoke", PerWard, "shimin", T("婚姻届", "Marriage registration", "こんいん とどけ（けっこんの とどけ）"), "こんいんとどけ",
            T("結婚するときに届け出ます。届け出た日に婚姻が成立します。", "File to marry; the marriage takes effect on the day of filing.", "けっこん する ときに だします。"),
            ["結婚・離婚"], Soon("marriage"), [MarriageForm, IdDoc], AtCounter, "民法第739条、戸籍法第74条", 10, Who: ["couple"]),
        new("mynumber-kisai", PerWard, "shimin", T("マイナンバーカードの記載事項変更（氏名）", "Updating the name on your My Number card", "マイナンバーカードの なまえを かえる"), "まいなんばーかーどきさいじこうへんこう",
            T("氏名が変わったら、カードの記載を変更します。署名用電子証明書は失効します。", "Update the card after a change of name; the signature certificate lapses.", "なまえが かわったら カードを なおします。"),
            ["結婚・離婚"], After("change", 14), [Card, Pin], AtCounter, "行政手続における特定の個人を識別するための番号の利用等に関する法律第17条", 15),
        new("nenkin-shubetsu", PerWard, "kokuho", T("国民年金の種別変更（第1号・第3号）", "National Pension: change of category", "ねんきんの しゅるいの へんこう"), "こくみんねんきんしゅべつへんこう",
            T("結婚などで配偶者の扶養に入る・外れるときの届出です。第3号は配偶者の勤め先から届け出ます。", "When you become or stop being a dependent spouse; category 3 is filed through the spouse's employer.", "けっこんで ねんきんの しゅるいが かわる とき。"),
            ["結婚・離婚", "年金の受給"], After("change", 14), [IdDoc], [Channel.Online, Channel.Counter], "国民年金法第12条", 22, Online: new OnlineFiling("high", false, 10, "https://www.e-gov.go.jp/")),
        new("jido-teate-henko", PerWard, "kodomo", T("児童手当 受給者の変更・消滅の届出", "Child allowance: change or end of entitlement", "じどう てあての へんこうの とどけ"), "じどうてあてへんこう",
            T("氏名・住所の変更、受給者の変更、市外への転出のときに届け出ます。", "Report a change of name or address, a new recipient, or a move out of the city.", "なまえや じゅうしょが かわった ときに だします。"),
            ["出生・こども", "結婚・離婚", "引越し"], After("change", 15), [], Online, "児童手当法第26条", 41, Online: Card10),
        new("kekkon-shinseikatsu", "cityhall", "kosodate", T("結婚新生活支援補助金", "Subsidy for newly-weds' housing costs", "けっこん した ひとの すまいの おかね"), "けっこんしんせいかつしえん",
            T("新しく結婚した世帯の住居費や引越し費用を補助します（所得・年齢の条件があります）。", "Helps newly-weds with housing and moving costs (income and age conditions apply).", "けっこん した ひとの すまいの おかねを たすけます。"),
            ["結婚・離婚", "住宅の購入・保有"], Soon("kekkon"), [Receipt, Bank], Online, "みどり市結婚新生活支援事業補助金交付要綱", 80, ProcessingDays: 30, Online: Low5),

        // D. 死亡・相続
        new("shibo-todoke", PerWard, "shimin", T("死亡届・火葬許可申請", "Death registration and cremation permit", "しぼう とどけ（なくなった とき）"), "しぼうとどけ",
            T("亡くなったことを知った日を含めて7日以内に届け出ます（国外で亡くなったときは3か月以内）。多くの場合、葬儀社が代わりに提出します。", "Register a death within 7 days counting the day you learned of it (3 months if abroad); funeral homes usually file it.", "なくなった ことを しった ひから 7にち いないに だします。"),
            ["死亡・相続"], Counting("death-known", 7), [DeathForm], AtCounter, "戸籍法第86条、墓地、埋葬等に関する法律第5条", 10,
            Who: ["relative", "funeral-home"], Related: ["setainushi-henko", "kokuho-soshitsu"]),
        new("setainushi-henko", PerWard, "shimin", T("世帯主変更届", "Change of head of household", "せたいぬしの へんこう"), "せたいぬしへんこうとどけ",
            T("世帯主が亡くなり、世帯に2人以上が残るときに新しい世帯主を届け出ます。", "When the head of a household of two or more remaining members dies, register the new head.", "せたいぬしが なくなった とき。"),
            ["死亡・相続"], After("death", 14), [IdDoc], AtCounter, "住民基本台帳法第25条", 12),
        new("kokuho-soshitsu", PerWard, "kokuho", T("国民健康保険 資格喪失（死亡）", "National Health Insurance after a death", "こくほの ほけんしょうを かえす"), "こくみんけんこうほけんしかくそうしつ",
            T("亡くなった方の資格確認書・保険証を返します。", "Return the deceased's insurance certificate.", "なくなった ひとの ほけんしょうを かえします。"),
            ["死亡・相続", "医療・健康"], After("death", 14), [KokuhoCard], AtCounter, "国民健康保険法第9条", 20),
        new("sosaihi", PerWard, "kokuho", T("葬祭費 支給申請", "Funeral expenses allowance", "おそうしきの おかね"), "そうさいひ",
            T("国民健康保険の方が亡くなったとき、葬儀を行った方に葬祭費（5万円）を支給します。", "If the deceased had National Health Insurance, the person who held the funeral receives 50,000 yen.", "こくほの ひとが なくなった とき、おそうしきを した ひとに 5まんえん。"),
            ["死亡・相続"], Months("funeral", 24), [FuneralReceipt, Bank], Online, "国民健康保険法第58条", 21, ProcessingDays: 20, Online: Card10),
        new("koki-soshitsu", PerWard, "kokuho", T("後期高齢者医療 資格喪失・葬祭費", "Late-stage elderly medical care after a death", "75さい いじょうの ひとの ほけんを かえす"), "こうきこうれいしゃいりょうしかくそうしつ",
            T("資格確認書を返し、葬祭費を申請します。高額療養費があるときは相続人の口座に振り込みます。", "Return the certificate and claim the funeral allowance; any refund goes to an heir.", "ほけんしょうを かえして おそうしきの おかねを もうしこみます。"),
            ["死亡・相続"], After("death", 14), [KokuhoCard, FuneralReceipt, HeirBank], AtCounter, "高齢者の医療の確保に関する法律第86条", 23),
        new("kaigo-soshitsu", PerWard, "kaigo", T("介護保険 資格喪失届", "Long-term care insurance after a death", "かいごほけんの しょうを かえす"), "かいごほけんしかくそうしつ",
            T("介護保険の被保険者証を返します。保険料を払いすぎているときは還付します。", "Return the care insurance certificate; any overpaid premium is refunded.", "かいごほけんの しょうを かえします。"),
            ["死亡・相続", "介護"], After("death", 14), [HeirBank], AtCounter, "介護保険法第12条", 30),
        new("nenkin-shibo", PerWard, "kokuho", T("年金受給者死亡届", "Reporting the death of a pensioner", "ねんきんを もらって いた ひとの しぼう とどけ"), "ねんきんじゅきゅうしゃしぼうとどけ",
            T("国民年金を受けていた方が亡くなったときの届出です。", "Report the death of someone receiving the National Pension.", "ねんきんを もらって いた ひとが なくなった とき。"),
            ["死亡・相続", "年金の受給"], After("death", 14, "nenkin"), [PensionCert], AtCounter, "国民年金法施行規則第24条", 24),
        new("mishikyu-nenkin", None, "nenkin", T("未支給年金の請求", "Claiming unpaid pension", "まだ はらわれて いない ねんきん"), "みしきゅうねんきん",
            T("亡くなった方に支払われていない年金を、生計を同じくしていた遺族が請求します。", "Surviving family who shared living costs claim pension not yet paid to the deceased.", "なくなった ひとが まだ もらって いない ねんきん。"),
            ["死亡・相続", "年金の受給"], Months("death", 60), [PensionCert, Bank], AtCounter, "国民年金法第19条", 90, ProcessingDays: null),
        new("izoku-nenkin", PerWard, "kokuho", T("遺族基礎年金・寡婦年金・死亡一時金の請求", "Survivors' pension and lump-sum death benefit", "のこされた かぞくの ねんきん"), "いぞくきそねんきん",
            T("国民年金の加入者が亡くなったとき、遺族が受ける年金や一時金を請求します（死亡一時金は2年以内）。", "Survivors claim the basic survivors' pension or a lump sum (lump sum within 2 years).", "のこされた かぞくが もらう ねんきんです。"),
            ["死亡・相続", "年金の受給"], Months("death", 60), [PensionCert, Bank], AtCounter, "国民年金法第37条", 26, ProcessingDays: null),
        new("kogaku-ryoyohi", PerWard, "kokuho", T("高額療養費の支給申請（亡くなった方の分）", "High-cost medical expenses of the deceased", "なくなった ひとの たかい いりょうひ"), "こうがくりょうようひ",
            T("亡くなった方の医療費が限度額を超えていたとき、相続人が申請します。", "Heirs claim medical costs of the deceased above the monthly limit.", "いりょうひが たかかった とき もどります。"),
            ["死亡・相続", "医療・健康"], Months("death", 24), [HeirBank, Receipt], Online, "国民健康保険法第57条の2", 27, ProcessingDays: 30, Online: Card10),
        new("kotei-shisanzei", "shizei", "zeimu", T("固定資産税 相続人代表者指定届", "Property tax: naming the heirs' representative", "とちや いえの ぜいきんの だいひょうしゃ"), "こていしさんぜい",
            T("亡くなった方が市内に土地や家屋を持っていたとき、納税通知書を受け取る代表者を届け出ます。", "If the deceased owned land or buildings in the city, name who receives the tax notices.", "とちや いえが ある とき、だいひょうの ひとを とどけます。"),
            ["死亡・相続", "税金"], Soon("soon"), [IdDoc], [Channel.Online, Channel.Mail, Channel.Counter], "地方税法第9条の2", 70, Online: Low5),
        new("shikaku-henkan", PerWard, "shogai", T("医療証・障害者手帳・受給者証の返還", "Returning medical cards and handbooks", "いりょうしょうや てちょうを かえす"), "いりょうしょうへんかん",
            T("市が交付した医療証や手帳、受給者証を返します。", "Return medical cards, handbooks and certificates the city issued.", "しが わたした いりょうしょうを かえします。"),
            ["死亡・相続"], After("death", 14), [MedicalCards], [Channel.Mail, Channel.Counter], "みどり市各種医療費助成条例", 52),
        new("jido-teate-mishiharai", PerWard, "kodomo", T("児童手当 未支払請求（受給者の死亡）", "Child allowance unpaid to a deceased recipient", "じどう てあての まだ はらって いない ぶん"), "じどうてあてみしはらい",
            T("児童手当を受けていた方が亡くなったとき、未支払の分を請求します。", "Claim child allowance not yet paid when the recipient dies.", "てあてを もらって いた ひとが なくなった とき。"),
            ["死亡・相続", "出生・こども"], After("death", 15), [Bank], AtCounter, "児童手当法第12条", 41),
        new("sozoku-hoki", None, "kasai", T("相続放棄の申述", "Renouncing an inheritance", "そうぞくを しない てつづき"), "そうぞくほうき",
            T("借金などを相続しないときは、相続を知った日から3か月以内に家庭裁判所へ申し立てます。", "To refuse an inheritance (e.g. debts), apply to the family court within 3 months.", "しゃっきんを そうぞく しない ときは 3かげつ いないに。"),
            ["死亡・相続"], Months("death-known", 3), [], [Channel.Mail, Channel.Counter], "民法第915条", 95, ProcessingDays: null, Fee: 800),
        new("jun-kakutei", None, "zeimusho", T("準確定申告", "Final income tax return for the deceased", "なくなった ひとの ぜいきんの しんこく"), "じゅんかくていしんこく",
            T("亡くなった方に所得があったとき、相続人が4か月以内に税務署へ申告します。", "Heirs file the deceased's income tax return within 4 months.", "なくなった ひとの しょとくの しんこく。"),
            ["死亡・相続", "税金"], Months("death-known", 4), [], [Channel.Online, Channel.Mail, Channel.Counter], "所得税法第125条", 96, ProcessingDays: null, Online: new OnlineFiling("high", false, 30, "https://www.e-tax.nta.go.jp/")),
        new("sozokuzei", None, "zeimusho", T("相続税の申告", "Inheritance tax return", "そうぞくぜいの しんこく"), "そうぞくぜい",
            T("遺産が基礎控除額を超えるとき、10か月以内に申告します。", "File within 10 months when the estate exceeds the basic exemption.", "いさんが おおい ときの しんこく。"),
            ["死亡・相続", "税金"], Months("death-known", 10), [], [Channel.Online, Channel.Mail, Channel.Counter], "相続税法第27条", 97, ProcessingDays: null, Online: new OnlineFiling("high", false, 60, "https://www.e-tax.nta.go.jp/")),
        new("sozoku-toki", None, "homukyoku", T("相続登記", "Registering inherited real estate", "そうぞくした とちや いえの とうき"), "そうぞくとうき",
            T("不動産を相続したことを知った日から3年以内に登記を申請します（義務です）。", "Registering inherited real estate within 3 years is mandatory.", "そうぞくした とちや いえは 3ねん いないに とうき します。"),
            ["死亡・相続", "住宅の購入・保有"], Months("death-known", 36), [], [Channel.Online, Channel.Mail, Channel.Counter], "不動産登記法第76条の2", 98, ProcessingDays: null),

        // Certificates and other everyday procedures
        new("jumin-hyo", PerWard, "shimin", T("住民票の写しの請求", "Certificate of residence", "じゅうみんひょうの うつし"), "じゅうみんひょう",
            T("住民票の写しを窓口・郵送・コンビニで請求できます。郵送請求はオンラインで手数料を払えます。", "Request a certificate of residence at the counter, by post or at a convenience store; postal requests can be paid online.", "じゅうみんひょうを もらう てつづきです。"),
            ["引越し", "その他"], Soon("any"), [IdDoc], [Channel.Online, Channel.Mail, Channel.Counter, Channel.Konbini], "住民基本台帳法第12条", 19,
            Online: new OnlineFiling("high", true, 5), Fee: 300, FeeNote: T("1通300円（コンビニは200円）", "300 yen per copy (200 yen at a convenience store)", "1まい 300えん")),
        new("koseki-shomei", PerWard, "shimin", T("戸籍証明書の請求", "Family register certificate", "こせきの しょうめいしょ"), "こせきしょうめい",
            T("戸籍謄本・抄本などを請求します。本籍地以外でも請求できます。", "Request a family register certificate; possible outside your registered domicile.", "こせきの しょうめいしょを もらいます。"),
            ["結婚・離婚", "死亡・相続", "その他"], Soon("any"), [IdDoc], [Channel.Mail, Channel.Counter, Channel.Konbini], "戸籍法第10条", 19, Fee: 450, FeeNote: T("1通450円", "450 yen per copy", "1まい 450えん")),
        new("inkan-shomei", PerWard, "shimin", T("印鑑登録証明書の請求", "Seal registration certificate", "はんこの しょうめいしょ"), "いんかんとうろくしょうめい",
            T("登録した印鑑の証明書を窓口かコンビニで請求します。", "Request a certificate of your registered seal at the counter or a convenience store.", "とうろくした はんこの しょうめいしょです。"),
            ["住宅の購入・保有", "自動車の購入・保有", "その他"], Soon("any"), [Card], [Channel.Counter, Channel.Konbini], "みどり市印鑑条例", 19, Fee: 300),
        new("shotoku-shomei", "shizei", "zeimu", T("所得・課税証明書の請求", "Income and tax certificate", "しょとくの しょうめいしょ"), "しょとくかぜいしょうめい",
            T("住民税の所得・課税額の証明書を請求します。", "Request a certificate of income and resident tax.", "しょとくと ぜいきんの しょうめいしょです。"),
            ["税金", "出生・こども"], Soon("any"), [IdDoc], [Channel.Online, Channel.Mail, Channel.Counter, Channel.Konbini], "地方税法第20条の10", 19, Online: new OnlineFiling("high", true, 5), Fee: 300),
        new("kaigo-nintei", PerWard, "kaigo", T("要介護・要支援認定の申請", "Applying for a long-term care assessment", "かいごの にんていの もうしこみ"), "ようかいごにんてい",
            T("介護サービスを使うために、要介護度の認定を申請します。", "Apply for a care needs assessment to use long-term care services.", "かいごの サービスを つかう ための もうしこみ。"),
            ["介護"], Soon("soon"), [InsuranceInfo], Online, "介護保険法第27条", 30, ProcessingDays: 30, Online: Card10),
    ];

    /// <summary>The demo procedures: one item per ward office for ward procedures.</summary>
    public static IEnumerable<(string Slug, ProcedureContent Content)> Procedures()
    {
        foreach (var t in Templates)
        {
            if (t.Office == PerWard)
            {
                foreach (var ward in Wards)
                {
                    var (counter, extension) = Counters[t.Department];
                    yield return ($"{t.Code}-{ward.Id}", Build(t, ward.Id, counter, $"012-3{ward.Number}0-{extension}"));
                }
            }
            else
            {
                yield return (t.Code, Build(t, t.Office.Length == 0 ? null : t.Office, "", t.Office.Length == 0 ? "" : Offices().Single(o => o.Id == t.Office).Phone));
            }
        }
    }

    private static ProcedureContent Build(Template t, string? office, string counter, string phone) => new()
    {
        Code = t.Code,
        Office = office,
        Name = t.Name,
        Summary = t.Summary,
        Reading = t.Reading,
        Events = t.Events,
        Department = t.Department,
        Counter = counter,
        Phone = phone,
        Who = t.Who ?? ["self", "household", "proxy"],
        Deadline = t.Deadline,
        Bring = t.Bring,
        Attachments = t.Attachments ?? [],
        Channels = t.Channels,
        Online = t.Online,
        FeeYen = t.Fee,
        FeeNote = t.FeeNote,
        LegalBasis = t.LegalBasis,
        ProcessingDays = t.ProcessingDays,
        VisitOrder = t.Order,
        Related = t.Related ?? [],
        Owner = t.Department,
    };

    public static int TemplateCount => Templates.Length;
}
