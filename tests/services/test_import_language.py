"""The import report and the rejects file speak the desk's language, also when the phones
are parsed in worker processes (spawned: they would choose their own language)."""

from __future__ import annotations

import csv

import pytest

from tmdesk import i18n
from tmdesk.services import importing
from tmdesk.services.importing import import_call_list

HEADER = ["Компания", "Телефон"]


@pytest.mark.parametrize("pool", [False, True], ids=["in-process", "worker-processes"])
def test_rejects_and_report_in_russian(workspace, tmp_path, monkeypatch, pool):
    monkeypatch.setattr(importing, "use_worker_pool", lambda rows: pool)
    path = tmp_path / "calls.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(
            [
                HEADER,
                ["ООО Ромашка", "8 (495) 123-45-67"],
                ["АО Лютик", "+7 495 1234567"],
                ["ИП Хлам", "123"],
                ["ООО Без телефона", ""],
                ["ЗАО Далеко", "+999 123 456"],
            ]
        )
    i18n.use_language("ru")
    report = import_call_list(path, list_name="Москва")
    expected = [
        (3, "+74951234567 повторяет строку 2"),
        (4, "'123': слишком короткий для RU"),
        (5, "нет номера телефона"),
        (6, "'+999 123 456': неизвестный код страны"),
    ]
    assert [(p.line, p.reason) for p in report.errors] == expected
    with (tmp_path / "calls.rejects.csv").open(encoding="utf-8-sig") as handle:
        rejects = list(csv.reader(handle, delimiter=";"))
    assert rejects[0] == [*HEADER, "строка", "причина"]
    assert [(int(row[-2]), row[-1]) for row in rejects[1:]] == expected
