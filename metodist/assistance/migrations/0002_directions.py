"""The shared list of directions of work, as the methodological department names them."""

from django.db import migrations

# (code, Russian, Kazakh, English)
DIRECTIONS = (
    ("cataloguing", "Каталогизация", "Каталогтау", "Cataloguing"),
    ("collections", "Формирование фонда", "Қорды қалыптастыру", "Collections"),
    (
        "bibliography",
        "Справочно-библиографическая работа",
        "Анықтамалық-библиографиялық жұмыс",
        "Bibliography and reference",
    ),
    ("mass_work", "Массовая работа", "Бұқаралық жұмыс", "Mass work"),
    ("children", "Работа с детьми", "Балалармен жұмыс", "Work with children"),
    ("local_history", "Краеведение", "Өлкетану", "Local history"),
    (
        "automation",
        "Автоматизация и электронные ресурсы",
        "Автоматтандыру және электрондық ресурстар",
        "Automation and e-resources",
    ),
    ("online_centres", "Онлайн-центры", "Онлайн-орталықтар", "Online centres"),
    ("reporting", "Отчётность и статистика", "Есептілік және статистика", "Reporting and statistics"),
    ("marketing", "Маркетинг", "Маркетинг", "Marketing"),
    ("management", "Управление", "Басқару", "Management"),
)


def add_directions(apps, schema_editor):
    Direction = apps.get_model("assistance", "Direction")
    for order, (code, ru, kk, en) in enumerate(DIRECTIONS, start=1):
        Direction.objects.get_or_create(
            code=code, defaults={"name_ru": ru, "name_kk": kk, "name_en": en, "order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("assistance", "0001_initial")]

    operations = [migrations.RunPython(add_directions, migrations.RunPython.noop)]
