from notation import fullwidth, jis


def test_it_prints_registration_numbers_full_width():
    assert fullwidth.business_number("0404-02") == "０４０４―０２"


def test_it_prints_addresses_and_category_numbers_full_width():
    assert fullwidth.address("東京都江東区豊洲3-3-3") == "東京都江東区豊洲３－３－３"
    assert fullwidth.category_number(3, 17) == "３‐１７"


def test_it_finds_characters_outside_jis_x_0208():
    assert jis.characters_outside_jis("髙橋と𠮷田と﨑山の①番") == ["髙", "𠮷", "﨑", "①"]


def test_it_accepts_the_characters_windows_types_for_jis_ones():
    assert (
        jis.characters_outside_jis("豊洲３－３－３ 〜～ 株式会社エヌ・ティ・ティ・データ ｶﾅ") == []
    )
