"""Search folding: what residents type matches what is stored, whatever the width,
case or kana."""

from notation.search import fold


def test_it_folds_width_case_and_kana_to_one_form():
    stored = fold("エヌ・ティ・ティ・データ ＮＴＴ 0404-01")
    for typed in ["ｴﾇ･ﾃｨ", "えぬ・てぃ", "エヌ・ティ", "ntt", "ＮＴＴ", "０４０４－０１"]:
        assert fold(typed) in stored


def test_it_keeps_kanji_and_different_words_apart():
    assert fold("収納課") == "収納課"
    assert fold("ｶﾞｽ") == "ガス"
    assert fold("ガス") not in fold("カス")
