using Madoguchi.Web.Features.Catalog;

namespace Madoguchi.Web.Features.Guide;

/// <summary>The demo life events (questions and rules) and the demo synonym list. Administrators change both in staff pages.</summary>
public static class DemoGuide
{
    private static Text T(string ja, string en, string easy) => new(ja, en, easy);

    private static readonly Option Yes = new("yes", T("はい", "Yes", "はい"));
    private static readonly Option No = new("no", T("いいえ", "No", "いいえ"));
    private static readonly Option[] YesNo = [Yes, No];

    private static Question YesNoQuestion(string key, Text text, string? when = null) => new(key, text, Question.Choice, YesNo, when);

    private static Question Insurance(params Option[] options) =>
        new("insurance", T("健康保険はどれですか", "Which health insurance applies?", "けんこうほけんは どれですか"), Question.Choice, options);

    private static readonly Option Kokuho = new("kokuho", T("国民健康保険", "National Health Insurance", "こくみん けんこうほけん"));
    private static readonly Option Employer = new("employer", T("勤め先の健康保険（社会保険）", "An employer's health insurance", "かいしゃの けんこうほけん"));
    private static readonly Option Elderly = new("elderly", T("後期高齢者医療（75歳以上）", "Late-stage elderly medical care (75+)", "75さい いじょうの ほけん"));

    private static Question Children(string key = "children") => new(key, T("一緒に住む子どもはいますか", "Are there children in the household?", "いっしょに すむ こどもは いますか"), Question.Choice,
    [
        new("none", T("いない", "None", "いない")),
        new("preschool", T("小学校入学前の子どもがいる", "Pre-school children", "しょうがっこう まえの こどもが いる")),
        new("school", T("小学生・中学生がいる", "Primary or junior high school children", "しょうがくせい・ちゅうがくせいが いる")),
        new("both", T("両方いる", "Both", "どちらも いる")),
    ]);

    public static IEnumerable<(string Id, LifeEventContent Content)> LifeEvents() =>
    [
        ("pregnancy", new LifeEventContent(
            T("妊娠", "Pregnancy", "あかちゃんが できた"), T("妊娠がわかった日", "The day you learned you are pregnant", "あかちゃんが できたと わかった ひ"),
            [
                Insurance(Kokuho, Employer),
                YesNoQuestion("nursery", T("出産後に保育所の利用を考えていますか", "Do you plan to use a nursery after the birth?", "うまれた あと ほいくえんを つかいますか")),
            ],
            [
                new("ninshin-todoke"),
                new("ninpu-shien"),
                new("hoikusho", "nursery=yes"),
            ], 1)),
        ("birth", new LifeEventContent(
            T("出生", "Birth", "あかちゃんが うまれた"), T("生まれた日", "Date of birth", "うまれた ひ"),
            [
                YesNoQuestion("bornAbroad", T("国外で生まれましたか", "Was the baby born abroad?", "にほんの そとで うまれましたか")),
                Insurance(Kokuho, Employer),
                new("childAllowance", T("児童手当を受けていますか", "Do you already receive child allowance?", "じどう てあてを もう もらって いますか"), Question.Choice,
                [
                    new("new", T("受けていない（この子が初めて）", "No, this is the first claim", "もらって いない")),
                    new("existing", T("上の子の分を受けている", "Yes, for an older child", "うえの こどもの ぶんを もらって いる")),
                    new("publicServant", T("公務員で勤め先から受けている", "I am a public servant paid by my employer", "こうむいんで しょくばから もらって いる")),
                ]),
                YesNoQuestion("lowBirthWeight", T("2,500グラム未満で生まれましたか", "Was the baby born under 2,500 g?", "2500グラムより ちいさく うまれましたか")),
                YesNoQuestion("singleParent", T("ひとり親家庭ですか", "Are you a single parent?", "ひとりおやですか")),
            ],
            [
                new("shussei-todoke", "bornAbroad=no"),
                new("shussei-todoke", "bornAbroad=yes", Deadline: new DeadlineRule("birth", Months: 3, FirstDayCounts: true)),
                new("kokuho-kanyu", "insurance=kokuho", Deadline: new DeadlineRule("birth", Days: 14)),
                new("jido-teate", "childAllowance=new"),
                new("jido-teate-gakukaitei", "childAllowance=existing"),
                new("kodomo-iryo"),
                new("shussan-ikuji", "insurance=kokuho"),
                new("shussei-tsuchi"),
                new("teitaiju", "lowBirthWeight=yes"),
                new("mijukuji-iryo", "lowBirthWeight=yes", Check: true),
                new("jido-fuyo-teate", "singleParent=yes"),
                new("hitorioya-iryo", "singleParent=yes"),
            ], 2)),
        ("moving-in", new LifeEventContent(
            T("市外からの引越し（転入）", "Moving in from another city", "ほかの まちから ひっこして きた"), T("引越しした日（新しい住所に住み始めた日）", "The day you moved in", "ひっこした ひ"),
            [
                YesNoQuestion("withCard", T("前の市区町村でマイナンバーカードを使って転出届を出しましたか", "Did you file the moving-out notification with your My Number card?", "まえの まちで マイナンバーカードを つかって てんしゅつ とどけを だしましたか")),
                new("moveOutDate", T("転出届に書いた転出予定日", "The planned move-out date on your moving-out notification", "てんしゅつ とどけに かいた ひ"), Question.Date, Hint: T("児童手当の期限の計算に使います。わからなければ空けてください。", "Used for the child allowance deadline; leave empty if you do not know.", "わからなければ かかないで ください。")),
                Insurance(Kokuho, Employer, Elderly),
                Children(),
                YesNoQuestion("careCertified", T("要介護・要支援の認定を受けている人はいますか", "Does anyone have a long-term care certification?", "かいごの にんていを うけて いる ひとは いますか")),
                YesNoQuestion("dog", T("犬を飼っていますか", "Do you have a dog?", "いぬを かって いますか")),
                YesNoQuestion("foreignMember", T("外国籍の人はいますか", "Is anyone a foreign national?", "がいこくの ひとは いますか")),
            ],
            [
                new("tennyu"),
                new("mynumber-keizoku", "withCard=yes"),
                new("zairyu-jukyochi", "foreignMember=yes"),
                new("kokuho-kanyu", "insurance=kokuho", Deadline: new DeadlineRule("move", Days: 14)),
                new("kokumin-nenkin", "insurance=kokuho", Deadline: new DeadlineRule("move", Days: 14)),
                new("koki-kanyu", "insurance=elderly"),
                new("kaigo-tennyu", "careCertified=yes"),
                new("jido-teate", "children=preschool|school|both", Anchor: "moveOutDate"),
                new("kodomo-iryo", "children=preschool|school|both"),
                new("tengaku", "children=school|both"),
                new("hoikusho", "children=preschool|both", Check: true),
                new("inu-henko", "dog=yes"),
                new("suido"),
                new("menkyo", Check: true),
            ], 3)),
        ("moving-within", new LifeEventContent(
            T("市内での引越し（転居）", "Moving within the city", "しの なかで ひっこした"), T("引越しした日", "The day you moved", "ひっこした ひ"),
            [
                YesNoQuestion("hasCard", T("マイナンバーカードを持っていますか", "Do you have a My Number card?", "マイナンバーカードを もって いますか")),
                Children(),
                YesNoQuestion("dog", T("犬を飼っていますか", "Do you have a dog?", "いぬを かって いますか")),
            ],
            [
                new("tenkyo"),
                new("mynumber-keizoku", "hasCard=yes"),
                new("jido-teate-henko", "children=preschool|school|both"),
                new("tengaku", "children=school|both", Check: true),
                new("inu-henko", "dog=yes"),
                new("suido"),
                new("menkyo", Check: true),
            ], 4)),
        ("moving-out", new LifeEventContent(
            T("市外への引越し（転出）", "Moving out of the city", "ほかの まちへ ひっこす"), T("引越しする日", "The day you move", "ひっこす ひ"),
            [
                Insurance(Kokuho, Employer, Elderly),
                Children(),
                YesNoQuestion("dog", T("犬を飼っていますか", "Do you have a dog?", "いぬを かって いますか")),
            ],
            [
                new("tenshutsu"),
                new("kokuho-dattai", "insurance=kokuho"),
                new("jido-teate-henko", "children=preschool|school|both"),
                new("suido"),
            ], 5)),
        ("marriage", new LifeEventContent(
            T("結婚", "Marriage", "けっこん"), T("婚姻届を出す日", "The day you file the marriage registration", "こんいん とどけを だす ひ"),
            [
                YesNoQuestion("nameChange", T("氏（名字）が変わりますか", "Will your surname change?", "みょうじが かわりますか")),
                YesNoQuestion("hasCard", T("マイナンバーカードを持っていますか", "Do you have a My Number card?", "マイナンバーカードを もって いますか")),
                YesNoQuestion("moving", T("結婚に合わせて市内で引っ越しますか", "Will you move within the city?", "けっこんで しの なかで ひっこしますか")),
                new("insuranceChange", T("健康保険は変わりますか", "Will your health insurance change?", "けんこうほけんは かわりますか"), Question.Choice,
                [
                    new("toKokuho", T("国民健康保険に入る", "I will join National Health Insurance", "こくほに はいる")),
                    new("fromKokuho", T("国民健康保険をやめる（配偶者の保険に入る）", "I will leave National Health Insurance", "こくほを やめる")),
                    new("none", T("変わらない", "No change", "かわらない")),
                ]),
                YesNoQuestion("childAllowance", T("児童手当を受けていますか", "Do you receive child allowance?", "じどう てあてを もらって いますか")),
            ],
            [
                new("konin-todoke"),
                new("mynumber-kisai", "nameChange=yes & hasCard=yes"),
                new("shomei-saihakko", "nameChange=yes & hasCard=yes", Check: true),
                new("inkan-toroku", "nameChange=yes", Check: true),
                new("tenkyo", "moving=yes"),
                new("kekkon-shinseikatsu", "moving=yes", Check: true),
                new("kokuho-kanyu", "insuranceChange=toKokuho"),
                new("kokuho-dattai", "insuranceChange=fromKokuho"),
                new("nenkin-shubetsu", "insuranceChange=toKokuho|fromKokuho"),
                new("jido-teate-henko", "childAllowance=yes"),
                new("menkyo", "nameChange=yes"),
            ], 6)),
        ("death", new LifeEventContent(
            T("死亡（おくやみ）", "Death of a family member", "かぞくが なくなった"), T("亡くなった日", "Date of death", "なくなった ひ"),
            [
                new("knownDate", T("亡くなったことを知った日（亡くなった日と違うとき）", "The day you learned of the death, if different", "なくなった ことを しった ひ（ちがう とき）"), Question.Date),
                YesNoQuestion("householdHead", T("亡くなった方は世帯主でしたか", "Was the deceased the head of the household?", "なくなった ひとは せたいぬしでしたか")),
                new("remainingMembers", T("世帯に残る人数", "How many people remain in the household?", "いえに のこる ひとは なんにんですか"), Question.Choice,
                [
                    new("0", T("いない", "None", "いない")),
                    new("1", T("1人", "One", "ひとり")),
                    new("2+", T("2人以上", "Two or more", "ふたり いじょう")),
                ]),
                Insurance(Kokuho, Elderly, Employer),
                YesNoQuestion("pension", T("年金を受けていましたか", "Did the deceased receive a pension?", "ねんきんを もらって いましたか")),
                YesNoQuestion("careCertified", T("介護保険の被保険者証を持っていましたか（65歳以上の方など）", "Did the deceased hold a long-term care insurance certificate (e.g. aged 65+)?", "かいご ほけんの しょうを もって いましたか")),
                YesNoQuestion("realEstate", T("市内に土地や家を持っていましたか", "Did the deceased own land or a house in the city?", "しの なかに とちや いえを もって いましたか")),
            ],
            [
                new("shibo-todoke", Anchor: "knownDate"),
                new("setainushi-henko", "householdHead=yes & remainingMembers=2+"),
                new("kokuho-soshitsu", "insurance=kokuho"),
                new("sosaihi", "insurance=kokuho"),
                new("koki-soshitsu", "insurance=elderly"),
                new("kaigo-soshitsu", "careCertified=yes"),
                new("nenkin-shibo", "pension=yes"),
                new("mishikyu-nenkin", "pension=yes"),
                new("izoku-nenkin", "pension=yes", Check: true),
                new("kogaku-ryoyohi", "insurance=kokuho|elderly", Check: true),
                new("kotei-shisanzei", "realEstate=yes"),
                new("sozoku-toki", "realEstate=yes", Anchor: "knownDate"),
                new("shikaku-henkan", Check: true),
                new("sozoku-hoki", Anchor: "knownDate", Check: true),
                new("jun-kakutei", Anchor: "knownDate", Check: true),
            ], 7)),
    ];

    public static SynonymsContent Synonyms() => new(
    [
        new(["ひっこし", "引っ越し", "引越", "いてん", "住所変更", "じゅうしょへんこう", "moving", "move", "address"], ["転入届", "転出届", "転居届"]),
        new(["てんにゅう", "越してきた", "引っ越してきた"], ["転入届"]),
        new(["てんしゅつ", "引っ越す", "出ていく"], ["転出届"]),
        new(["赤ちゃん", "あかちゃん", "生まれた", "うまれた", "出産", "しゅっさん", "baby", "birth", "newborn"], ["出生届", "出生通知書", "児童手当", "子ども医療費", "出産育児一時金"]),
        new(["妊娠", "にんしん", "母子手帳", "pregnan"], ["妊娠届", "妊婦のための支援給付"]),
        new(["亡くなった", "なくなった", "死んだ", "しんだ", "おくやみ", "葬儀", "そうぎ", "葬式", "そうしき", "death", "died", "funeral"], ["死亡届", "世帯主変更届", "葬祭費", "資格喪失", "年金受給者死亡届", "相続"]),
        new(["犬", "いぬ", "dog", "ペット"], ["犬の"]),
        new(["結婚", "けっこん", "marriage", "married", "wedding"], ["婚姻届", "結婚新生活支援補助金"]),
        new(["保険証", "ほけんしょう", "けんこうほけん", "insurance"], ["国民健康保険", "後期高齢者医療"]),
        new(["保育園", "ほいくえん", "nursery", "daycare"], ["保育所"]),
        new(["手当", "てあて", "allowance"], ["児童手当", "児童扶養手当"]),
        new(["はんこ", "ハンコ", "印鑑", "seal"], ["印鑑登録", "印鑑登録証明書"]),
        new(["マイナカード", "まいなかーど", "my number"], ["マイナンバーカード"]),
        new(["水道", "すいどう", "water"], ["上下水道"]),
        new(["介護", "かいご", "care"], ["介護保険", "要介護"]),
        new(["住民票", "じゅうみんひょう", "certificate"], ["住民票の写し"]),
        new(["税", "ぜい", "tax"], ["税", "所得・課税証明書"]),
    ]);
}
