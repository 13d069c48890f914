"""manage.py printforms: one PDF per record, or one combined file, each path printed."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.pdf_text import page_texts

pytestmark = pytest.mark.usefixtures("seed")


def printforms(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("printforms", *args, stdout=out)
    return out.getvalue().split()


def test_it_writes_one_pdf_per_record_of_a_business(tmp_path: Path):
    written = printforms("--kind", "form2", "--out", str(tmp_path), "--business", "0404-02")
    assert written == [str(tmp_path / f"form2_0404-02_{pk}.pdf") for pk in range(6, 11)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(Path(p).name for p in written)
    text = page_texts((tmp_path / "form2_0404-02_7.pdf").read_bytes())
    assert len(text) == 1
    assert "クレジットカード事業者" in text[0]
    assert "０４０４―０２" in text[0]


def test_it_writes_the_whole_register_into_one_combined_file(tmp_path: Path):
    written = printforms("--kind", "form2", "--out", str(tmp_path), "--combined", "all.pdf")
    assert written == [str(tmp_path / "all.pdf")]
    texts = page_texts((tmp_path / "all.pdf").read_bytes())
    assert len(texts) == 10
    assert "０４０４―０１" in texts[0]
    assert "０４０４―０２" in texts[9]


def test_it_prints_form5(tmp_path: Path):
    written = printforms("--kind", "form5", "--out", str(tmp_path / "new"))
    assert [Path(p).name for p in written] == [
        "form5_0404-01_1.pdf",
        "form5_0404-02_2.pdf",
        "form5_9999-01_3.pdf",  # the Shinjuku linkages of the seed
        "form5_9999-01_4.pdf",
    ]
    assert "電算結合記録票" in page_texts(Path(written[0]).read_bytes())[0].replace(" ", "")


def test_it_refuses_an_unknown_kind(tmp_path: Path):
    with pytest.raises(CommandError, match="帳票の種類「form9」はありません"):
        printforms("--kind", "form9", "--out", str(tmp_path))


def test_it_says_when_a_business_has_no_records(tmp_path: Path):
    with pytest.raises(CommandError, match="印刷する記録がありません"):
        printforms("--kind", "form5", "--out", str(tmp_path), "--business", "9999-99")
    assert list(tmp_path.iterdir()) == []
