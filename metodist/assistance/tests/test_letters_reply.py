"""Entries, replies and attachments: a reply closes the letter it answers and joins its thread; a double
click saves once; a file that is not what its name says is refused with a message."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from metodist.assistance import letters
from metodist.assistance.models import Letter, LetterDirection, LetterFile

PDF = b"%PDF-1.4\n% a weekly report\n"


@pytest.fixture
def question(net, admin_user):
    return Letter.objects.create(
        owner_unit=net.method_dept,
        handled_by=admin_user,
        direction=LetterDirection.INCOMING,
        date=datetime.date(2025, 6, 2),
        counterpart_unit=net.mukur_oc,
        channel="email",
        subject="Справка о несудимости через портал egov.kz",
        summary="Посетитель не может получить справку без ЭЦП.",
        reply_due=datetime.date(2025, 6, 5),
    )


def _entry(net, key="e" * 32, **extra):
    return {
        "submit_key": key,
        "direction": "incoming",
        "date": "2025-06-02",
        "channel": "email",
        "owner_unit": net.method_dept.pk,
        "counterpart_unit": net.mukur_oc.pk,
        "subject": "Еженедельный отчёт онлайн-центра за 26.05–01.06.2025",
        "summary": "Посетителей: 41; государственных услуг: 18.",
        **extra,
    }


def _reply(key="r" * 32, **extra):
    return {
        "submit_key": key,
        "date": "2025-06-03",
        "channel": "email",
        "subject": "Ответ: Справка о несудимости через портал egov.kz",
        "summary": "Справка выдаётся по одноразовому паролю.",
        **extra,
    }


def test_a_reply_closes_the_letter_and_joins_its_thread(question, net, admin_user, client_for):
    client = client_for(admin_user)
    answer = client.post(reverse("assistance:letter_reply", args=[question.pk]), _reply())
    assert answer.status_code == 302
    assert answer.url == reverse("assistance:letter_detail", args=[question.pk])
    reply = Letter.objects.get(in_reply_to=question)
    assert reply.direction == LetterDirection.OUTGOING
    assert (reply.owner_unit, reply.counterpart_unit, reply.handled_by) == (
        net.method_dept,
        net.mukur_oc,
        admin_user,
    )
    assert reply.date == datetime.date(2025, 6, 3)
    question.refresh_from_db()
    assert question.closed_at is not None
    assert not letters.waiting(Letter.objects.filter(pk=question.pk)).exists()
    original_page = client.get(reverse("assistance:letter_detail", args=[question.pk])).text
    assert "Справка выдаётся по одноразовому паролю." in original_page
    reply_page = client.get(reverse("assistance:letter_detail", args=[reply.pk])).text
    assert reverse("assistance:letter_detail", args=[question.pk]) in reply_page


def test_the_answer_to_our_request_is_incoming_and_closes_it(net, admin_user):
    request = letters.letter_create(
        user=admin_user,
        data={
            "owner_unit": net.method_dept,
            "direction": "outgoing",
            "date": datetime.date(2025, 6, 2),
            "counterpart_unit": net.mukur_oc,
            "subject": "Просим направить фотоотчёт акции",
            "reply_due": datetime.date(2025, 6, 6),
        },
    )
    assert request.handled_by == admin_user
    reply = letters.reply_create(
        user=admin_user,
        original=request,
        data={"date": datetime.date(2025, 6, 4), "summary": "Фотоотчёт направлен."},
    )
    assert reply.direction == LetterDirection.INCOMING
    assert reply.subject.endswith("Просим направить фотоотчёт акции")
    request.refresh_from_db()
    assert request.closed_at is not None


def test_a_reply_dated_before_the_letter_is_refused(question, admin_user, client_for):
    answer = client_for(admin_user).post(
        reverse("assistance:letter_reply", args=[question.pk]), _reply(date="2025-05-30")
    )
    assert answer.status_code == 200
    assert not Letter.objects.filter(in_reply_to=question).exists()
    question.refresh_from_db()
    assert question.closed_at is None


def test_a_double_submit_saves_one_entry(net, admin_user, client_for):
    client = client_for(admin_user)
    first = client.post(reverse("assistance:letter_create"), _entry(net))
    second = client.post(reverse("assistance:letter_create"), _entry(net))
    saved = Letter.objects.get()
    assert first.url == second.url == reverse("assistance:letter_detail", args=[saved.pk])
    assert saved.handled_by == admin_user
    client.post(reverse("assistance:letter_create"), _entry(net, key="f" * 32))
    assert Letter.objects.count() == 2


def test_a_double_submit_saves_one_reply(question, admin_user, client_for):
    client = client_for(admin_user)
    client.post(reverse("assistance:letter_reply", args=[question.pk]), _reply())
    second = client.post(reverse("assistance:letter_reply", args=[question.pk]), _reply())
    assert second.status_code == 302
    assert Letter.objects.filter(in_reply_to=question).count() == 1


def test_a_bad_attachment_is_refused_with_a_message(net, admin_user, client_for):
    fake = SimpleUploadedFile("otchet.pdf", b"MZ this is a program, not a PDF")
    answer = client_for(admin_user).post(reverse("assistance:letter_create"), _entry(net, files=[fake]))
    assert answer.status_code == 200
    with translation.override("ru"):
        message = gettext("The content of the file is not a %(type)s file.") % {"type": "PDF"}
    assert message in answer.text
    assert "otchet.pdf" in answer.text
    assert not Letter.objects.exists()
    assert not LetterFile.objects.exists()


def test_a_file_type_not_accepted_is_refused(net, admin_user):
    with pytest.raises(Exception) as refused:
        letters.letter_create(
            user=admin_user,
            data={"direction": "incoming", "subject": "Программа", "counterpart_unit": net.mukur_oc},
            files=[SimpleUploadedFile("setup.exe", b"MZ")],
        )
    assert "files" in refused.value.message_dict
    assert not Letter.objects.exists()


def test_good_attachments_are_kept_and_can_be_removed(net, admin_user, client_for):
    client = client_for(admin_user)
    files = [
        SimpleUploadedFile("otchet.pdf", PDF),
        SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
    ]
    client.post(reverse("assistance:letter_create"), _entry(net, files=files))
    letter = Letter.objects.get()
    assert sorted(letter.files.values_list("caption", flat=True)) == ["foto.png", "otchet.pdf"]
    pdf = letter.files.get(caption="otchet.pdf")
    download = client.get(reverse("assistance:letter_file", args=[letter.pk, pdf.pk]))
    assert b"".join(download.streaming_content) == PDF
    data = _entry(net, subject="Еженедельный отчёт (исправленный)", remove_files=[pdf.pk])
    answer = client.post(reverse("assistance:letter_edit", args=[letter.pk]), data)
    assert answer.status_code == 302
    letter.refresh_from_db()
    assert letter.subject == "Еженедельный отчёт (исправленный)"
    assert list(letter.files.values_list("caption", flat=True)) == ["foto.png"]


def test_no_reply_needed_then_reopened_with_history(question, admin_user, client_for):
    client = client_for(admin_user)
    client.post(reverse("assistance:letter_close", args=[question.pk]))
    question.refresh_from_db()
    assert question.closed_at is not None
    assert not letters.waiting(Letter.objects.all()).exists()
    client.post(reverse("assistance:letter_reopen", args=[question.pk]))
    question.refresh_from_db()
    assert question.closed_at is None
    assert letters.waiting(Letter.objects.all()).get() == question
    assert question.history.count() == 3
    changes = letters.letter_history(question)
    assert [c["record"].history_type for c in changes] == ["~", "~", "+"]
    assert [str(d["field"]) for d in changes[0]["diff"]] == [
        str(Letter._meta.get_field("closed_at").verbose_name)
    ]
    assert changes[0]["record"].history_user == admin_user


def test_editing_keeps_the_reply_state_and_records_the_change(question, net, admin_user, client_for):
    letters.mark_no_reply_needed(user=admin_user, letter=question)
    client = client_for(admin_user)
    data = _entry(net, subject="Справка о несудимости: без ЭЦП", reply_due="2025-06-05")
    assert client.post(reverse("assistance:letter_edit", args=[question.pk]), data).status_code == 302
    question.refresh_from_db()
    assert question.subject == "Справка о несудимости: без ЭЦП"
    assert question.closed_at is not None
    page = client.get(reverse("assistance:letter_detail", args=[question.pk])).text
    assert "Справка о несудимости через портал egov.kz" in page  # the old subject in the history
