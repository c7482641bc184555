"""The one-page PDF of an analysis, read back with pypdf."""

import io

from django.urls import reverse
from pypdf import PdfReader

from metodist.marketing import environment


def _pest(net, marketer, extra: int = 0):
    analysis = environment.analysis_create(
        user=marketer,
        data={
            "unit": net.regional,
            "year": 2025,
            "kind": "pest",
            "title": "PEST-талдау 2025",
            "summary": "Қорытынды: цифрландыру басым.",
        },
    )
    items = [
        ("P", "Закон РК «О культуре»: обязательный экземпляр", 4),
        ("E", "Рост цен на подписку периодики", 3),
        ("S", "Оқырмандардың қазақ тіліндегі кітаптарға сұранысы өсуде", 5),
        ("T", "Широкополосный интернет в сёлах района", 4),
    ]
    items += [
        ("S", f"Социальный фактор № {n}: миграция молодёжи в областной центр, жастардың қалаға көшуі", 2)
        for n in range(extra)
    ]
    for quadrant, text, weight in items:
        environment.item_save(
            user=marketer, analysis=analysis, data={"quadrant": quadrant, "text": text, "weight": weight}
        )
    return analysis


def _text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), " ".join(page.extract_text() for page in reader.pages)


def test_the_pdf_is_one_landscape_page_with_kazakh_letters(net, marketer, client_for):
    analysis = _pest(net, marketer)
    answer = client_for(marketer).get(reverse("marketing:environment_pdf", args=[analysis.pk]))
    assert answer["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(answer.content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    text = reader.pages[0].extract_text()
    assert "PEST-талдау 2025" in text
    assert "қазақ тіліндегі кітаптарға сұранысы" in text
    assert "Рост цен на подписку периодики" in text
    assert "ВКО универсальная библиотека имени Абая" in text


def test_many_long_items_still_fit_on_one_page(net, marketer):
    analysis = _pest(net, marketer, extra=20)
    pages, text = _text(environment.analysis_pdf(analysis))
    assert pages == 1
    assert "Социальный фактор № 19" in text
