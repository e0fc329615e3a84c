namespace Madoguchi.Web.Features.Accounts;

/// <summary>Invented people of the invented みどり市, one for each situation later features need. Nobody real.</summary>
public static class DemoPersonas
{
    public sealed record Member(string Name, string Kana, string Relationship, DateOnly BirthDate);

    public sealed record Persona(
        string Id, string Name, string Kana, DateOnly BirthDate, string Sex, string PostalCode, string Address,
        string Phone, string Email, bool HasCard, bool ResidenceCardHolder, string Situation, IReadOnlyList<Member> Household);

    public sealed record Staff(string Id, string Name, IReadOnlyList<string> Roles, IReadOnlyList<string> Departments);

    public const string DemoStaffPassword = "madoguchi-demo";

    public static readonly IReadOnlyList<Persona> Residents =
    [
        new("single-adult", "佐藤 健一", "サトウ ケンイチ", new(1994, 6, 12), "male", "100-0101", "さくら県みどり市中央区本町1-2-3 みどりハイツ201",
            "090-1111-0001", "kenichi.sato@example.jp", true, false, "single adult", []),
        new("expecting-couple", "鈴木 美咲", "スズキ ミサキ", new(1995, 3, 3), "female", "100-0202", "さくら県みどり市北区若葉町4-5-6",
            "090-1111-0002", "misaki.suzuki@example.jp", true, false, "couple expecting a baby",
            [new("鈴木 大輔", "スズキ ダイスケ", "spouse", new(1993, 11, 20))]),
        new("moving-family", "高橋 直樹", "タカハシ ナオキ", new(1986, 8, 8), "male", "530-0001", "大阪府大阪市北区梅田9-9-9",
            "090-1111-0003", "naoki.takahashi@example.jp", true, false, "family of four moving in from another city",
            [new("高橋 由美", "タカハシ ユミ", "spouse", new(1988, 1, 15)),
             new("高橋 蓮", "タカハシ レン", "child", new(2016, 5, 5)),
             new("高橋 葵", "タカハシ アオイ", "child", new(2020, 9, 30))]),
        new("newborn-parent", "田中 さくら", "タナカ サクラ", new(1992, 4, 1), "female", "100-0303", "さくら県みどり市南区港町7-8-9 シーサイド305",
            "090-1111-0004", "sakura.tanaka@example.jp", true, false, "parent with a newborn",
            [new("田中 翔太", "タナカ ショウタ", "spouse", new(1990, 7, 7)),
             new("田中 ひなた", "タナカ ヒナタ", "child", new(2026, 11, 10))]),
        new("senior", "伊藤 トメ", "イトウ トメ", new(1948, 2, 29), "female", "100-0404", "さくら県みどり市東区桜台2-1-1",
            "0123-45-0005", "tome.ito@example.jp", true, false, "person aged 75 or over", []),
        new("foreign-resident", "NGUYEN VAN AN", "グエン ヴァン アン", new(1998, 12, 24), "male", "100-0505", "さくら県みどり市西区川端町3-3-3 グリーンコート102",
            "080-1111-0006", "an.nguyen@example.jp", true, true, "foreign resident with a residence card", []),
        new("bereaved", "渡辺 洋子", "ワタナベ ヨウコ", new(1965, 10, 10), "female", "100-0606", "さくら県みどり市港区浜辺1-1-1",
            "090-1111-0007", "yoko.watanabe@example.jp", true, false, "family member after a death",
            [new("渡辺 正", "ワタナベ タダシ", "spouse", new(1960, 4, 4))]),
        new("no-card", "山本 翼", "ヤマモト ツバサ", new(2001, 7, 20), "male", "100-0707", "さくら県みどり市緑区森の里5-5-5",
            "090-1111-0008", "tsubasa.yamamoto@example.jp", false, false, "person without a My Number card", []),
    ];

    public static readonly IReadOnlyList<Staff> StaffMembers =
    [
        new("clerk", "窓口 花子", [StaffRoles.Clerk], ["shimin"]),
        new("caseworker", "担当 一郎", [StaffRoles.Caseworker], ["kodomo"]),
        new("kakaricho", "係長 次郎", [StaffRoles.Approver, StaffRoles.Caseworker, StaffRoles.Chief], ["kodomo"]),
        new("kacho", "課長 三郎", [StaffRoles.Approver, StaffRoles.Manager], ["kodomo", "shimin"]),
        new("hosa", "課長補佐 五月", [StaffRoles.Approver, StaffRoles.Chief], ["kodomo"]),
        new("center", "集中 四郎", [StaffRoles.Caseworker], ["center"]),
        // 国保年金課 (葬祭費: a refusal goes to its 課長 and, in parallel, to the 市民課長 for 合議) and 保健福祉課 (犬の登録:
        // its 係長 decides alone under delegated authority, 専決).
        new("kokuho", "国保 六郎", [StaffRoles.Caseworker], ["kokuho"]),
        new("kokuho-kakaricho", "国保係長 七海", [StaffRoles.Approver, StaffRoles.Caseworker, StaffRoles.Chief], ["kokuho"]),
        new("kokuho-kacho", "国保課長 八重", [StaffRoles.Approver, StaffRoles.Manager], ["kokuho"]),
        new("hoken-kakaricho", "保健係長 九美", [StaffRoles.Approver, StaffRoles.Chief], ["hoken"]),
        new("hoken-kacho", "保健課長 十和", [StaffRoles.Approver, StaffRoles.Manager], ["hoken"]),
        new("admin", "推進 管理", [StaffRoles.Administrator], ["dx"]),
        new("auditor", "監査 委員", [StaffRoles.Auditor], ["shimin", "kodomo", "hoken"]),
    ];

    public static Persona? Find(string? id) => Residents.FirstOrDefault(p => p.Id == id);
}
