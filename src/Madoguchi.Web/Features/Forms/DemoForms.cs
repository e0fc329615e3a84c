using Madoguchi.Web.Features.Catalog;

namespace Madoguchi.Web.Features.Forms;

/// <summary>
/// The demo city's application forms, one per procedure that residents most often file online. Questions that mean
/// the same in several forms share a <see cref="FormField.Shared"/> key, so a bundle asks them once.
/// </summary>
public static class DemoForms
{
    private static Text T(string ja, string en, string easy) => new(ja, en, easy);

    private static FieldChoice C(string value, string ja, string en, string easy) => new(value, T(ja, en, easy));

    private static readonly Text StandardDeclaration = T(
        "申請書の記載内容に相違ありません。",
        "I declare that the information in this application is true.",
        "かいた ことは ほんとうです。");

    private static FormField Applicant(string ja = "申請者（あなた）", string en = "Applicant (you)", string easy = "もうしこむ ひと（あなた）") =>
        new("applicant", FieldType.Person, T(ja, en, easy)) { Bind = "self", Shared = "applicant" };

    private static FormField Address() =>
        new("address", FieldType.Address, T("住所", "Address", "じゅうしょ")) { Bind = "address", Shared = "address" };

    private static FormField Phone() =>
        new("phone", FieldType.Phone, T("日中の連絡先電話番号", "Daytime phone number", "ひるまに つながる でんわばんごう")) { Bind = "phone", Shared = "phone" };

    private static FormField Bank(string ja, string en, string easy) =>
        new("bank", FieldType.Bank, T(ja, en, easy)) { Bind = "bank", Shared = "bank", Hint = T("申請者本人名義の口座", "An account in the applicant's own name", "もうしこむ ひとの なまえの こうざ") };

    private static readonly IReadOnlyList<FieldChoice> Insurance =
    [
        C("kokuho", "国民健康保険", "National Health Insurance", "こくみん けんこう ほけん"),
        C("shaho", "会社の健康保険（社会保険）", "Employer's health insurance", "かいしゃの けんこう ほけん"),
        C("kyosai", "共済組合", "Public servants' mutual aid", "こうむいんの ほけん（きょうさい）"),
    ];

    private static FormField InsuranceField() =>
        new("insurance", FieldType.Choice, T("加入している健康保険", "Health insurance you belong to", "はいって いる けんこう ほけん")) { Choices = Insurance, Shared = "insurance" };

    /// <summary>The columns of a household-member row, each bound to the member's own data.</summary>
    private static readonly IReadOnlyList<FormField> MemberColumns =
    [
        new FormField("name", FieldType.Text, T("氏名", "Name", "なまえ")) { Bind = "name" },
        new FormField("kana", FieldType.Kana, T("フリガナ", "Name in katakana", "なまえ（カタカナ）")) { Bind = "kana" },
        new FormField("birthdate", FieldType.Date, T("生年月日", "Date of birth", "うまれた ひ")) { Bind = "birthdate" },
    ];

    private static FormPage ApplicantPage(params FormField[] more) =>
        new("applicant", T("申請者", "Applicant", "もうしこむ ひと"), [Applicant(), Address(), Phone(), .. more]);

    public static readonly IReadOnlyList<(string Slug, FormDefinition Form)> All =
    [
        ("jido-teate", new FormDefinition
        {
            Procedure = "jido-teate",
            Title = T("児童手当 認定請求書", "Child allowance claim", "じどう てあての もうしこみ"),
            Intro = T("高校生年代までの子どもを養育している方が請求します。原則として、父母のうち所得の高い方が請求者です。",
                "Claim if you bring up children up to upper-secondary age. The parent with the higher income normally claims.",
                "こうこうせい までの こどもを そだてて いる ひとが もうしこみます。"),
            Pages =
            [
                ApplicantPage(new FormField("lives_with_children", FieldType.YesNo, T("請求者は、子どもと同じ住所に住んでいますか", "Do you live at the same address as the children?", "あなたは こどもと いっしょに すんで いますか"))),
                new("children", T("対象の子ども", "Children", "こども"),
                [
                    new FormField("children", FieldType.Group, T("養育している子ども", "Children you bring up", "そだてて いる こども"))
                    {
                        Bind = "children", Shared = "children", Min = 1, Max = 10,
                        Fields = MemberColumns,
                    },
                ]),
                new("spouse", T("配偶者", "Spouse", "つれあい"),
                [
                    new FormField("has_spouse", FieldType.YesNo, T("配偶者（夫・妻）はいますか", "Do you have a spouse?", "おっと・つまが いますか")) { Shared = "has_spouse" },
                    new FormField("spouse", FieldType.Person, T("配偶者", "Spouse", "おっと・つま")) { Bind = "spouse", When = "has_spouse=yes", Shared = "spouse" },
                    new FormField("higher_income", FieldType.YesNo, T("あなたの所得は配偶者より高いですか", "Is your income higher than your spouse's?", "あなたの しゅうにゅうは おっと・つまより おおいですか")) { When = "has_spouse=yes" },
                ]),
                new("insurance", T("健康保険", "Health insurance", "けんこう ほけん"), [InsuranceField()]),
                new("bank", T("振込先", "Bank account", "おかねを ふりこむ こうざ"), [Bank("振込先口座", "Account for payments", "おかねを ふりこむ こうざ")]),
            ],
            Declaration = StandardDeclaration,
            Eligibility =
            [
                new("lives_with_children=no", T("児童手当は、子どもと同居して養育している方が請求します。別居している場合は「別居監護申立書」が必要なため、こども家庭課にご相談ください。",
                    "The claimant must live with the children. If you live apart, please talk to the Children and Families Division (a separate-residence statement is needed).",
                    "こどもと いっしょに すんで いない ときは、こども かていかに そうだん して ください。")),
                new("higher_income=no", T("原則として、父母のうち所得の高い方が請求します。配偶者の方が請求してください。",
                    "The parent with the higher income normally claims: please ask your spouse to apply.",
                    "しゅうにゅうが おおい ほうの おや が もうしこみます。")),
            ],
        }),
        ("kodomo-iryo", new FormDefinition
        {
            Procedure = "kodomo-iryo",
            Title = T("子ども医療費 受給資格申請書", "Children's medical expenses subsidy", "こどもの いりょうひ じょせいの もうしこみ"),
            Pages =
            [
                ApplicantPage(),
                new("child", T("対象のお子さん", "The child", "こども"),
                [
                    new FormField("child", FieldType.Person, T("お子さん", "Child", "こども")) { Bind = "youngest-child", Shared = "child" },
                    InsuranceField(),
                    new FormField("insurance_card", FieldType.File, T("お子さんの資格確認書（写し）", "Copy of the child's health insurance certificate", "こどもの ほけんの しょるい（コピー）"))
                    {
                        Required = false, Hint = T("PDF・JPEG・PNG、10MBまで。後日郵送もできます。", "PDF, JPEG or PNG up to 10 MB. You may also post it later.", "PDF・JPEG・PNG、10MBまで。"),
                    },
                ]),
            ],
            Declaration = StandardDeclaration,
        }),
        ("kokuho-kanyu", new FormDefinition
        {
            Procedure = "kokuho-kanyu",
            Title = T("国民健康保険 加入届", "Joining National Health Insurance", "こくみん けんこう ほけんに はいる とどけ"),
            Pages =
            [
                ApplicantPage(),
                new("reason", T("加入の理由", "Reason", "はいる りゆう"),
                [
                    new FormField("reason", FieldType.Choice, T("加入の理由", "Why are you joining?", "はいる りゆう"))
                    {
                        Choices =
                        [
                            C("moved-in", "他の市区町村から転入した", "Moved in from another municipality", "ほかの まちから ひっこして きた"),
                            C("left-employer", "会社の健康保険をやめた", "Left an employer's health insurance", "かいしゃの ほけんを やめた"),
                            C("birth", "子どもが生まれた", "A child was born", "こどもが うまれた"),
                            C("other", "その他", "Other", "その ほか"),
                        ],
                    },
                    new FormField("change_date", FieldType.Date, T("加入する日（異動日）", "Date of the change", "はいる ひ")),
                    new FormField("loss_certificate", FieldType.File, T("健康保険資格喪失証明書", "Certificate of loss of insurance", "ほけんを やめた しょうめいしょ")) { When = "reason=left-employer" },
                ]),
                new("members", T("加入する人", "Who joins", "はいる ひと"),
                [
                    new FormField("members", FieldType.Group, T("加入する人", "People joining", "はいる ひと"))
                    {
                        Bind = "household", Min = 1, Max = 10,
                        Hint = T("あなたを含めて、加入する人を全員入力してください。", "Everyone who joins, including you.", "あなたも ふくめて ぜんいん かいて ください。"),
                        Fields = MemberColumns,
                    },
                ]),
            ],
            Declaration = StandardDeclaration,
        }),
        ("ninshin-todoke", new FormDefinition
        {
            Procedure = "ninshin-todoke",
            Title = T("妊娠届出書", "Pregnancy notification", "にんしんの とどけ"),
            Intro = T("届出の後、母子健康手帳をお渡しします。保健師との面談も予約できます。", "After the notification you receive a maternal and child health handbook; you can book a talk with a public health nurse.", "とどけの あと、ぼしてちょうを わたします。"),
            Pages =
            [
                ApplicantPage(),
                new("pregnancy", T("妊娠について", "About the pregnancy", "にんしんに ついて"),
                [
                    new FormField("due_date", FieldType.Date, T("出産予定日", "Expected date of birth", "うまれる よていの ひ")) { Shared = "due_date" },
                    new FormField("weeks", FieldType.Number, T("届出時の妊娠週数", "Weeks of pregnancy now", "いま なんしゅう ですか")) { Min = 4, Max = 42 },
                    new FormField("multiple", FieldType.YesNo, T("ふたご以上の妊娠ですか", "Are you expecting twins or more?", "ふたご いじょう ですか")),
                    new FormField("clinic", FieldType.Text, T("診断を受けた医療機関", "Clinic or hospital that confirmed the pregnancy", "みて もらった びょういん")) { MaxLength = 100 },
                    new FormField("interview", FieldType.YesNo, T("保健師との面談を希望しますか", "Would you like a talk with a public health nurse?", "ほけんしと はなしたい ですか")),
                ]),
            ],
            Declaration = StandardDeclaration,
        }),
        ("shussei-tsuchi", new FormDefinition
        {
            Procedure = "shussei-tsuchi",
            Assurance = "low",
            Title = T("出生通知書（新生児訪問の申込み）", "Birth notice and newborn home visit", "あかちゃんが うまれた おしらせ"),
            Pages =
            [
                new("baby", T("赤ちゃん", "The baby", "あかちゃん"),
                [
                    new FormField("baby", FieldType.Person, T("赤ちゃんのお名前", "Baby's name", "あかちゃんの なまえ")) { Bind = "youngest-child", Shared = "child" },
                    new FormField("weight", FieldType.Number, T("出生時の体重（グラム）", "Birth weight (grams)", "うまれた ときの おもさ（グラム）")) { Min = 300, Max = 6000 },
                    new FormField("weeks", FieldType.Number, T("在胎週数", "Weeks of pregnancy at birth", "なんしゅうで うまれましたか")) { Min = 22, Max = 44 },
                ]),
                new("parent", T("保護者", "Parent", "おや"),
                [
                    new FormField("parent", FieldType.Text, T("保護者の氏名", "Parent's name", "おやの なまえ")) { Bind = "name", MaxLength = 100 },
                    Address(),
                    Phone(),
                    new FormField("visit_time", FieldType.Choice, T("訪問の希望時間帯", "Preferred time for the visit", "きて ほしい じかん"))
                    {
                        Choices = [C("am", "午前", "Morning", "ごぜん"), C("pm", "午後", "Afternoon", "ごご"), C("any", "いつでもよい", "Any time", "いつでも よい")],
                    },
                ]),
            ],
            Declaration = StandardDeclaration,
        }),
        ("inu-henko", new FormDefinition
        {
            Procedure = "inu-henko",
            Assurance = "low",
            Title = T("犬の登録事項変更届", "Dog registration: change of details", "いぬの とうろくの へんこう"),
            Pages =
            [
                new("owner", T("飼い主", "Owner", "かいぬし"),
                [
                    new FormField("owner", FieldType.Text, T("飼い主の氏名", "Owner's name", "かいぬしの なまえ")) { Bind = "name", MaxLength = 100 },
                    Phone(),
                ]),
                new("dog", T("犬と変更内容", "The dog and the change", "いぬと かわった こと"),
                [
                    new FormField("dog_name", FieldType.Text, T("犬の名前", "Dog's name", "いぬの なまえ")) { MaxLength = 50 },
                    new FormField("tag", FieldType.Text, T("鑑札番号", "Registration tag number", "かんさつの ばんごう")) { MaxLength = 20, Hint = T("例: 緑第123号", "e.g. 緑第123号", "れい: 緑第123号") },
                    new FormField("change", FieldType.Multi, T("変更する内容", "What changed", "かわった こと"))
                    {
                        Choices = [C("address", "飼い主の住所", "Owner's address", "かいぬしの じゅうしょ"), C("owner", "飼い主", "Owner", "かいぬし"), C("location", "飼養場所", "Where the dog is kept", "いぬを かって いる ばしょ")],
                    },
                    new FormField("new_address", FieldType.Address, T("新しい住所", "New address", "あたらしい じゅうしょ")) { Bind = "address", Required = false, Hint = T("住所が変わった場合", "If the address changed", "じゅうしょが かわった とき") },
                    new FormField("change_date", FieldType.Date, T("変更した日", "Date of the change", "かわった ひ")),
                ]),
            ],
            Declaration = StandardDeclaration,
        }),
        ("sosaihi", new FormDefinition
        {
            Procedure = "sosaihi",
            Title = T("葬祭費 支給申請書", "Funeral expenses allowance", "おそうしきの おかねの もうしこみ"),
            Intro = T("国民健康保険の加入者が亡くなったとき、葬祭を行った方（喪主）に5万円を支給します。", "When someone insured by National Health Insurance dies, the person who held the funeral receives 50,000 yen.", "こくほの ひとが なくなった とき、おそうしきを した ひとに 5まんえんを はらいます。"),
            Pages =
            [
                new("deceased", T("亡くなった方", "The deceased", "なくなった ひと"),
                [
                    new FormField("deceased", FieldType.Person, T("亡くなった方", "The deceased", "なくなった ひと")) { Shared = "deceased" },
                    new FormField("death_date", FieldType.Date, T("亡くなった日", "Date of death", "なくなった ひ")) { Shared = "death_date" },
                    new FormField("insurance_number", FieldType.Text, T("亡くなった方の国民健康保険の記号・番号", "The deceased's insurance number", "なくなった ひとの ほけんの ばんごう")) { MaxLength = 30 },
                ]),
                new("funeral", T("葬祭", "Funeral", "おそうしき"),
                [
                    Applicant("喪主（申請者）", "Chief mourner (applicant)", "もしゅ（もうしこむ ひと）"),
                    Address(),
                    Phone(),
                    new FormField("relationship", FieldType.Text, T("亡くなった方との続柄", "Relationship to the deceased", "なくなった ひとと あなたの かんけい")) { MaxLength = 20 },
                    new FormField("funeral_date", FieldType.Date, T("葬儀を行った日", "Date of the funeral", "おそうしきの ひ")),
                    new FormField("receipt", FieldType.File, T("葬儀の領収書または会葬礼状", "Funeral receipt or thank-you card", "おそうしきの りょうしゅうしょ")),
                ]),
                new("bank", T("振込先", "Bank account", "おかねを ふりこむ こうざ"), [Bank("振込先口座（喪主名義）", "Account in the chief mourner's name", "もしゅの なまえの こうざ")]),
            ],
            Declaration = StandardDeclaration,
        }),
        ("jumin-hyo", new FormDefinition
        {
            Procedure = "jumin-hyo",
            Title = T("住民票の写し 郵送請求", "Certificate of residence by post", "じゅうみんひょうを ゆうびんで もらう"),
            Intro = T("手数料（1通300円）をお支払いいただくと申請が完了し、住民登録の住所へ郵送します。", "The request is complete once the fee (300 yen a copy) is paid; we post the copies to your registered address.", "1まい 300えんを はらうと、いえに おくります。"),
            Pages =
            [
                ApplicantPage(),
                new("copies", T("請求の内容", "What you need", "ほしい もの"),
                [
                    new FormField("scope", FieldType.Choice, T("記載する人", "Who should be on it", "だれの ぶん"))
                    {
                        Choices = [C("self", "本人のみ", "Only me", "わたし だけ"), C("household", "世帯全員", "Everyone in the household", "かぞく ぜんいん")],
                    },
                    new FormField("items", FieldType.Multi, T("記載する項目（必要なものだけ）", "Items to include (only what you need)", "のせる こと（ひつような もの だけ）"))
                    {
                        Required = false,
                        Choices = [C("householder", "世帯主・続柄", "Head of household and relationship", "せたいぬしと かんけい"), C("honseki", "本籍・筆頭者", "Registered domicile", "ほんせき")],
                    },
                    new FormField("copies", FieldType.Number, T("必要な通数", "Number of copies", "なんまい")) { Min = 1, Max = 10 },
                    new FormField("purpose", FieldType.Choice, T("使いみち", "Purpose", "つかう りゆう"))
                    {
                        Choices = [C("work", "勤務先への提出", "For an employer", "かいしゃに だす"), C("license", "免許・登録", "For a licence or registration", "めんきょや とうろく"), C("other", "その他", "Other", "その ほか")],
                    },
                ]),
            ],
            Fees = [new FeeLine(T("住民票の写し（1通）", "Certificate of residence (per copy)", "じゅうみんひょう（1まい）"), 300, "copies")],
            Declaration = StandardDeclaration,
        }),
    ];
}
