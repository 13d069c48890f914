"""The checkbox lists of 第2号様式, label for label as the form prints them."""

from django.db import migrations

RECORD_KINDS = [
    ("family", "戸籍等事項(氏名、住所、生年月日、本籍、続柄、親族関係、婚歴など)"),
    ("social", "社会的地位(職業、勤務先、役職、地位、職歴、学歴、資格など)"),
    ("economic", "経済活動 (収入、財産、納税額、負債状況、公的扶助など)"),
    ("health", "心身健康 (健康状態、病歴、障害など)"),
    ("living", "生活状況 (家庭状況、居住状況、趣味・嗜好など)"),
    ("ability", "知識能力 (各種試験成績、勤務成績、学業成績など)"),
    ("belief", "思想信条 (支持政党、宗教、主義・主張など)"),
]
CONDITIONS = [
    ("confidentiality", "知り得た個人情報の保持"),
    ("purpose_limit", "目的外利用および第三者への提供禁止"),
    ("no_subcontract", "再委託の禁止"),
    ("no_copy", "複写および複製の禁止"),
    ("handling", "個人情報の授受、保管、廃棄または返還事項"),
    ("inspection", "立入検査および調査に応ずる義務"),
    ("incident_report", "事故発生時の報告義務"),
    ("sanctions", "義務違反等の公表措置および損害賠償"),
]
TRANSFER_FORMS = [
    ("document", "文書"),
    ("drawing", "図画"),
    ("film", "フィルム"),
    ("magnetic_disk", "磁気ディスク等"),
    ("computer", "電算処理"),
]


def create_options(apps, schema_editor):
    for model_name, options in (
        ("RecordKind", RECORD_KINDS),
        ("Condition", CONDITIONS),
        ("TransferForm", TRANSFER_FORMS),
    ):
        model = apps.get_model("consignments", model_name)
        for order, (code, label) in enumerate(options, start=1):
            model.objects.update_or_create(code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("consignments", "0001_initial")]

    operations = [migrations.RunPython(create_options, migrations.RunPython.noop)]
