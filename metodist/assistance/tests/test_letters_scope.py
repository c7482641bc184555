"""Who sees and who changes entries of the correspondence log: the keeper of the log changes them, the
counterpart unit reads them, nobody else finds them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from metodist.assistance import letters
from metodist.assistance.models import Letter, LetterDirection, LetterFile


def entry(owner, counterpart=None, *, subject, **fields):
    fields.setdefault("direction", LetterDirection.INCOMING)
    fields.setdefault("date", datetime.date(2025, 6, 2))
    return Letter.objects.create(owner_unit=owner, counterpart_unit=counterpart, subject=subject, **fields)


@pytest.fixture
def log(net, admin_user):
    return {
        "mukur": entry(
            net.method_dept, net.mukur_oc, subject="Отчёт онлайн-центра Мукур", handled_by=admin_user
        ),
        "beskaragay": entry(
            net.method_dept,
            net.beskaragay_oc,
            subject="Отчёт онлайн-центра Бескарагай",
            handled_by=admin_user,
        ),
        "akimat": entry(
            net.method_dept,
            counterpart_name="Аппарат акима Мукурского сельского округа",
            subject="Запрос акимата",
        ),
        "district": entry(net.beskaragay, net.kanonerka, subject="Письмо района в Канонерку"),
    }


def _seen(user):
    return set(letters.letters_visible(user).values_list("subject", flat=True))


def test_each_one_sees_the_logs_they_keep_and_the_entries_with_their_units(
    log, admin_user, methodist, librarian, outsider
):
    assert _seen(admin_user) == {e.subject for e in log.values()}
    assert _seen(librarian) == {"Отчёт онлайн-центра Мукур"}
    assert _seen(methodist) == {"Отчёт онлайн-центра Бескарагай", "Письмо района в Канонерку"}
    assert _seen(outsider) == set()


def test_the_list_shows_only_what_the_user_sees(log, librarian, client_for):
    page = client_for(librarian).get(reverse("assistance:letter_list"))
    assert page.status_code == 200
    assert "Отчёт онлайн-центра Мукур" in page.text
    assert "Бескарагай" not in page.text
    assert "Запрос акимата" not in page.text


def test_a_librarian_reads_her_entry_but_cannot_change_it(log, librarian, client_for):
    client = client_for(librarian)
    mukur = log["mukur"]
    page = client.get(reverse("assistance:letter_detail", args=[mukur.pk]))
    assert page.status_code == 200
    assert "Отчёт онлайн-центра Мукур" in page.text
    assert reverse("assistance:letter_edit", args=[mukur.pk]) not in page.text
    assert client.get(reverse("assistance:letter_edit", args=[mukur.pk])).status_code == 404
    assert client.get(reverse("assistance:letter_reply", args=[mukur.pk])).status_code == 404
    answer = client.post(
        reverse("assistance:letter_reply", args=[mukur.pk]),
        {"date": "2025-06-03", "channel": "email", "subject": "Ответ"},
    )
    assert answer.status_code == 404
    assert client.post(reverse("assistance:letter_close", args=[mukur.pk])).status_code == 404
    assert client.get(reverse("assistance:letter_create")).status_code == 403
    mukur.refresh_from_db()
    assert mukur.closed_at is None
    assert Letter.objects.count() == 4


def test_entries_out_of_scope_answer_404(log, librarian, methodist, outsider, client_for):
    assert (
        client_for(librarian)
        .get(reverse("assistance:letter_detail", args=[log["beskaragay"].pk]))
        .status_code
        == 404
    )
    assert (
        client_for(methodist).get(reverse("assistance:letter_detail", args=[log["akimat"].pk])).status_code
        == 404
    )
    client = client_for(outsider)
    assert client.get(reverse("assistance:letter_detail", args=[log["mukur"].pk])).status_code == 404
    assert client.get(reverse("assistance:letter_list")).status_code == 403
    assert client.get(reverse("assistance:letter_waiting")).content == b""


def test_a_district_methodologist_reads_but_cannot_write_the_regional_log(log, net, methodist, client_for):
    regional = log["beskaragay"]
    client = client_for(methodist)
    assert client.get(reverse("assistance:letter_detail", args=[regional.pk])).status_code == 200
    assert client.get(reverse("assistance:letter_edit", args=[regional.pk])).status_code == 404
    assert client.post(reverse("assistance:letter_close", args=[regional.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        letters.letter_update(user=methodist, letter=regional, data={"subject": "Другое"})
    with pytest.raises(PermissionDenied):
        letters.letter_create(
            user=methodist,
            data={
                "owner_unit": net.method_dept,
                "direction": "incoming",
                "subject": "Чужой журнал",
                "counterpart_unit": net.beskaragay_oc,
                "date": datetime.date(2025, 6, 3),
            },
        )
    # In her own district's log she may write.
    assert client.get(reverse("assistance:letter_edit", args=[log["district"].pk])).status_code == 200


def test_a_counterpart_outside_her_scope_is_refused(net, methodist, client_for):
    with pytest.raises(ValidationError) as refused:
        letters.letter_create(
            user=methodist,
            data={
                "direction": "outgoing",
                "subject": "Письмо в Мукур",
                "counterpart_unit": net.mukur_oc,
                "date": datetime.date(2025, 6, 3),
            },
        )
    assert "counterpart_unit" in refused.value.message_dict
    answer = client_for(methodist).post(
        reverse("assistance:letter_create"),
        {
            "submit_key": "k" * 32,
            "owner_unit": net.beskaragay.pk,
            "direction": "outgoing",
            "date": "2025-06-03",
            "channel": "email",
            "counterpart_unit": net.mukur_oc.pk,
            "subject": "Письмо в Мукур",
        },
    )
    assert answer.status_code == 200
    assert "is-invalid" in answer.text
    assert not Letter.objects.exists()


def test_attachments_are_served_only_within_scope(log, librarian, outsider, client_for):
    attachment = LetterFile.objects.create(letter=log["mukur"], caption="Отчёт за неделю")
    attachment.file.save("otchet.pdf", ContentFile(b"%PDF-1.4 weekly report"))
    url = reverse("assistance:letter_file", args=[log["mukur"].pk, attachment.pk])
    answer = client_for(librarian).get(url)
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == b"%PDF-1.4 weekly report"
    wrong_letter = reverse("assistance:letter_file", args=[log["beskaragay"].pk, attachment.pk])
    assert client_for(librarian).get(wrong_letter).status_code == 404
    assert client_for(outsider).get(url).status_code == 404
